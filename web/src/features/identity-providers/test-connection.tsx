import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type TestConnectionResponse, testIdentityProvider } from '../../api/identity-providers';
import { errorDetail } from '../../api/problem-fields';
import { IconAlert, IconCheck } from '../../components/icons';
import { ReadOnlyFields } from '../../components/read-only-fields';

type Target = { id: string } | { issuer: string };

interface TestConnectionProps {
  /**
   * What to test when the button is pressed: a registered provider by id, or the issuer typed in a form not saved yet;
   * null when there is nothing to test (the issuer field is empty: the form says so at the field).
   */
  target: () => Target | null;
  /** The issuer changed since the last test: its result no longer applies and is hidden. */
  issuer?: string;
}

/**
 * **Test connection** (docs/sso.md#test-connection): reads the provider's discovery document the way the login will,
 * and shows what it found (issuer, endpoints, scopes) or the server's exact reason why it could not.
 */
export function TestConnection({ target, issuer }: TestConnectionProps) {
  const test = useMutation({ mutationFn: (tested: Target) => testIdentityProvider(tested) });
  const testedIssuer = test.variables && 'issuer' in test.variables ? test.variables.issuer : undefined;
  const stale = issuer !== undefined && testedIssuer !== undefined && testedIssuer !== issuer;
  return (
    <Stack gap="sm">
      <Group>
        <Button
          variant="default"
          loading={test.isPending}
          onClick={() => {
            const tested = target();
            if (tested === null) test.reset();
            else test.mutate(tested);
          }}
        >
          Test connection
        </Button>
      </Group>
      <div role="status" aria-live="polite">
        {!stale && test.isSuccess && <TestResult result={test.data} />}
        {!stale && test.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not test the connection">
            {errorDetail(test.error)}
          </Alert>
        )}
      </div>
    </Stack>
  );
}

function TestResult({ result }: { result: TestConnectionResponse }) {
  if (!result.ok)
    return (
      <Alert color="red" variant="light" icon={<IconAlert />} title="The connection does not work" data-test-connection="failed">
        <Text fz="sm" style={{ overflowWrap: 'anywhere' }} data-test-error="">
          {result.error}
        </Text>
      </Alert>
    );
  const scopes = result.scopesSupported ?? [];
  return (
    <Alert color="green" variant="light" icon={<IconCheck />} title="The connection works" data-test-connection="ok">
      <Stack gap="sm">
        <Text fz="sm">Roster read the provider's discovery document. This is what the login will use:</Text>
        <ReadOnlyFields
          fields={[
            { label: 'Issuer', value: <Monospace value={result.issuer} /> },
            { label: 'Authorization endpoint', value: <Monospace value={result.authorizationEndpoint} /> },
            { label: 'Token endpoint', value: <Monospace value={result.tokenEndpoint} /> },
            { label: 'UserInfo endpoint', value: <Monospace value={result.userinfoEndpoint} /> },
            { label: 'Keys (JWKS)', value: <Monospace value={result.jwksUri} /> },
            { label: 'Scopes supported', value: <Monospace value={scopes.length > 0 ? scopes.join(' ') : null} /> },
          ]}
        />
      </Stack>
    </Alert>
  );
}

function Monospace({ value }: { value: string | null | undefined }) {
  if (value === null || value === undefined) return <>Not listed by the provider</>;
  return (
    <Text span ff="monospace" fz="sm" style={{ overflowWrap: 'anywhere' }}>
      {value}
    </Text>
  );
}
