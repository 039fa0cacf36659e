import { Badge, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { isApiError } from '../api/client';
import type { IdentityProvider } from '../api/identity-providers';
import { DateTime } from '../components/date-time';
import { DetailsSection } from '../components/details-section';
import { EntityLink } from '../components/entity-link';
import { ErrorState } from '../components/error-state';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { ReadOnlyFields } from '../components/read-only-fields';
import { RequireAbility } from '../components/require-ability';
import { EditIdentityProviderDialog } from '../features/identity-providers/edit-identity-provider-dialog';
import { identityProviderQueryOptions } from '../features/identity-providers/identity-providers-queries';
import { RedirectUri } from '../features/identity-providers/redirect-uri';
import { RemoveIdentityProviderDialog } from '../features/identity-providers/remove-identity-provider-dialog';
import { TestConnection } from '../features/identity-providers/test-connection';

/**
 * `/settings/identity-providers/<id>`: one identity provider, the redirect URI to register at it, Test connection, its
 * settings, Edit and Remove (docs/sso.md). Owners only.
 */
export function IdentityProviderPage() {
  return (
    <RequireAbility ability="manageIdentityProviders">
      <IdentityProviderDetails />
    </RequireAbility>
  );
}

function IdentityProviderDetails() {
  const { providerId = '' } = useParams();
  const provider = useQuery(identityProviderQueryOptions(providerId));
  if (provider.isPending) return <PageLoader label="Loading the identity provider…" />;
  if (provider.isError) {
    const missing = isApiError(provider.error, { status: 404 });
    return (
      <>
        <PageHeader title="Identity provider" section="Identity providers" sectionTo="/settings/identity-providers" />
        <ErrorState
          title={missing ? 'There is no such identity provider' : 'Could not load the identity provider'}
          error={provider.error}
          onRetry={missing ? undefined : () => void provider.refetch()}
        />
      </>
    );
  }
  return <IdentityProviderView provider={provider.data} />;
}

function IdentityProviderView({ provider }: { provider: IdentityProvider }) {
  const [editing, edit] = useDisclosure(false);
  const [removing, remove] = useDisclosure(false);
  return (
    <Stack gap="lg" maw={960}>
      <PageHeader
        title={provider.label}
        section="Identity providers"
        sectionTo="/settings/identity-providers"
        description={`The login page offers “Log in with ${provider.label}”.`}
      />
      <Group gap="sm" mt={-16}>
        <Button onClick={edit.open}>Edit</Button>
        <Button variant="default" color="red" onClick={remove.open}>
          Remove
        </Button>
      </Group>
      <DetailsSection title="Connect the provider">
        <Text fz="sm" c="dimmed">
          Register this redirect URI at the provider as the client's callback address. It is built from ROSTER_PUBLIC_URL: set that to the
          address people use before you copy it.
        </Text>
        <ReadOnlyFields fields={[{ label: 'Redirect URI', value: <RedirectUri value={provider.redirectUri} /> }]} />
        <Text fz="sm" c="dimmed">
          Test connection reads the provider's discovery document the way the login will. It changes nothing.
        </Text>
        <TestConnection target={() => ({ id: provider.id })} />
      </DetailsSection>
      <DetailsSection title="Settings">
        <ReadOnlyFields
          fields={[
            { label: 'Issuer', value: <Code value={provider.issuer} /> },
            { label: 'Client ID', value: <Code value={provider.clientId} /> },
            { label: 'Client secret', value: 'Stored encrypted; it is never shown. Edit to replace it.' },
            { label: 'Scopes', value: <Code value={provider.scopes.join(' ')} /> },
            {
              label: 'Claims',
              value: (
                <>
                  username <Code value={provider.usernameClaim} />, email <Code value={provider.emailClaim} />, groups{' '}
                  <Code value={provider.groupsClaim} />
                </>
              ),
            },
            {
              label: 'Unknown people',
              value: provider.createUnknown ? 'Created as Members at their first login.' : 'Refused: only people with a Roster account.',
            },
            {
              label: 'Linking on a verified email',
              value: provider.linkVerifiedEmail
                ? 'A Member without 2FA is linked when the provider asserts a verified, matching email.'
                : 'No: people link their account from their profile.',
            },
            {
              label: "The provider's 2FA",
              value: provider.enforces2fa ? "Counts for Roster's 2FA policy when its amr claim shows a second factor." : 'Not counted.',
            },
            {
              label: 'Registered',
              value: (
                <>
                  <DateTime value={provider.createdAt} mode="absolute" /> · last changed <DateTime value={provider.updatedAt} />
                </>
              ),
            },
          ]}
        />
      </DetailsSection>
      <DetailsSection title="Group mappings">
        {provider.groupMappings.length === 0 ? (
          <Text fz="sm">No mappings: logging in with this provider changes no group.</Text>
        ) : (
          <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Group mappings">
            {provider.groupMappings.map((mapping) => (
              <Group component="li" key={`${mapping.value}→${mapping.group.id}`} gap="xs" wrap="wrap" data-mapping={mapping.value}>
                <Badge variant="outline" color="gray" radius="sm" tt="none">
                  {mapping.value}
                </Badge>
                <Text span fz="sm" aria-hidden>
                  →
                </Text>
                <VisuallyHidden>maps onto</VisuallyHidden>
                <EntityLink kind="group" id={mapping.group.id} name={mapping.group.name} />
              </Group>
            ))}
          </Stack>
        )}
      </DetailsSection>
      <EditIdentityProviderDialog provider={provider} opened={editing} onClose={edit.close} />
      <RemoveIdentityProviderDialog provider={provider} opened={removing} onClose={remove.close} />
    </Stack>
  );
}

function Code({ value }: { value: string }) {
  return (
    <Text span ff="monospace" fz="sm" style={{ overflowWrap: 'anywhere' }}>
      {value}
    </Text>
  );
}
