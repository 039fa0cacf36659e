import { Alert, Stack, Text } from '@mantine/core';
import { IconAlert } from '../../components/icons';
import { SecretValue } from '../../components/secret-value';

/**
 * An application's new client secret, shown once with a copy button (docs/product/console.md#one-time-secrets): the
 * surrounding dialog asks before closing until it was copied.
 */
export function ClientSecret({ name, secret }: { name: string; secret: string }) {
  return (
    <Stack gap="sm" data-client-secret="">
      <Alert color="orange" variant="light" icon={<IconAlert />} title="Copy the client secret now: it is shown only once">
        Nobody can see this secret again after you close this dialog, not even an Owner: Roster keeps only a digest of it. Store it where
        the application reads its secrets. If it is lost, rotate it.
      </Alert>
      <Text fw={700} fz="sm">
        Client secret of {name}
      </Text>
      <SecretValue label={`client secret of ${name}`} value={secret} />
    </Stack>
  );
}
