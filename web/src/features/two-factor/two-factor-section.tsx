import { Alert, Badge, Divider, Group, Skeleton, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { errorDetail } from '../../api/problem-fields';
import { fetchMfaStatus } from '../../api/two-factor';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { ContinueSignIn } from '../oidc/continue-sign-in';
import { SecurityKeys, webAuthnQueryOptions } from './security-keys';
import { mfaStatusQueryKey, TotpSetup } from './totp-setup';

/**
 * Profile settings → **Two-factor authentication** (docs/product/console.md#two-factor-authentication): an
 * authenticator app, recovery codes, security keys and passkeys. `signInToFinish`: the application's sign-in that
 * sent the person here to set 2FA up, offered again once it is on.
 */
export function TwoFactorSection({ signInToFinish = null }: { signInToFinish?: string | null }) {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: mfaStatusQueryKey, queryFn: ({ signal }) => fetchMfaStatus(signal) });
  const keys = useQuery(webAuthnQueryOptions);
  return (
    <SettingsSection
      id="two-factor"
      title="Two-factor authentication"
      description="A second step after your password, so that a stolen password alone does not open your account."
    >
      {status.isPending ? (
        <Skeleton height={120} />
      ) : status.isError ? (
        <Alert color="red" variant="light" icon={<IconAlert />} title="Could not load two-factor authentication">
          {errorDetail(status.error)}
        </Alert>
      ) : (
        <>
          {signInToFinish !== null && <ContinueSignIn to={signInToFinish} ready={status.data.enabled} />}
          <Group gap="xs">
            <Badge color={status.data.enabled ? 'green' : 'gray'} variant="light" radius="sm" tt="none">
              {status.data.enabled ? 'On' : 'Off'}
            </Badge>
            {status.data.policy.required && !status.data.enabled && (
              <Text size="sm" c="orange.8">
                Required by your organization
                {status.data.policy.deadline ? ` by ${new Date(status.data.policy.deadline).toLocaleDateString()}` : ''}.
              </Text>
            )}
          </Group>
          <TotpSetup status={status.data} canUseSecurityKey={(keys.data?.items.length ?? 0) > 0} />
          <Divider />
          <SecurityKeys
            secondFactorNeeded={status.data.enabled}
            onChanged={() => void queryClient.invalidateQueries({ queryKey: mfaStatusQueryKey })}
          />
        </>
      )}
    </SettingsSection>
  );
}
