import { Alert, Stack, Text } from '@mantine/core';
import { IconAlert } from '../../components/icons';
import { SecretValue } from '../../components/secret-value';
import { TokenExpiry } from './token-expiry';

/**
 * A service account's new token, shown once with a copy button (docs/product/console.md#one-time-secrets): the
 * surrounding dialog asks before closing until it was copied.
 */
export function ServiceAccountToken({ name, token, expiresAt }: { name: string; token: string; expiresAt: string | null }) {
  const origin = window.location.origin;
  return (
    <Stack gap="sm" data-service-account-token="">
      <Alert color="orange" variant="light" icon={<IconAlert />} title="Copy the token now: it is shown only once">
        Nobody can see this token again after you close this dialog, not even an Owner. Store it where the script or pipeline reads its
        secrets. If it is lost, regenerate it.
      </Alert>
      <Text fw={700} fz="sm">
        Token of {name}
      </Text>
      <SecretValue label={`token of ${name}`} value={token} />
      <TokenExpiry expiresAt={expiresAt} />
      <Text fz="sm" c="dimmed">
        Send it as <code>Authorization: Bearer &lt;token&gt;</code> to the REST API, or run <code>roster connect {origin}</code> and paste
        it when asked.
      </Text>
    </Stack>
  );
}
