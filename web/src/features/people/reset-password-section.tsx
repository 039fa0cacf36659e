import { Alert, Button, Checkbox, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { resetPassword } from '../../api/people';
import { IconAlert } from '../../components/icons';
import { SecretValue } from '../../components/secret-value';
import { useRefreshPeople } from './people-queries';

interface ResetPasswordSectionProps {
  personId: string;
  username: string;
  /** The person has two-factor authentication and the caller may reset it: offer to (docs/product/console.md#people). */
  offerMfaReset: boolean;
}

/**
 * Reset password (docs/product/console.md#people): a first button asks "Are you sure…?", a second one resets. The new
 * temporary password is shown once with a copy button; the reset ends the person's sessions, and optionally revokes
 * their API token and resets their two-factor authentication (to evict an intruder who registered a passkey).
 */
export function ResetPasswordSection({ personId, username, offerMfaReset }: ResetPasswordSectionProps) {
  const refreshPeople = useRefreshPeople();
  const [confirming, setConfirming] = useState(false);
  const [alsoToken, setAlsoToken] = useState(false);
  const [alsoMfa, setAlsoMfa] = useState(false);
  const reset = useMutation({
    mutationFn: () => resetPassword(personId, { resetToken: alsoToken, alsoResetMfa: offerMfaReset && alsoMfa }),
    // The 2FA badges of the person page and the People list change with it.
    onSuccess: () => (alsoMfa ? refreshPeople() : undefined),
  });

  if (reset.data) {
    return (
      <Paper withBorder p="sm" bg="gray.0">
        <Stack gap={6}>
          <Text fw={700} role="status">
            New temporary password
          </Text>
          <SecretValue label={`new temporary password for ${username}`} value={reset.data.temporaryPassword} />
          <Text fz="sm" c="dimmed">
            Shown only once. {username} was signed out everywhere{alsoToken ? ', their API token no longer works' : ''}
            {offerMfaReset && alsoMfa ? ' and their two-factor authentication and passkeys were removed' : ''}; they choose a new password
            when they log in with this one.
          </Text>
        </Stack>
      </Paper>
    );
  }

  if (!confirming) {
    return (
      <Button variant="default" onClick={() => setConfirming(true)} style={{ alignSelf: 'flex-start' }}>
        Reset password
      </Button>
    );
  }

  return (
    <Paper withBorder p="sm" bg="#fff9f9" role="group" aria-labelledby="reset-password-question">
      <Stack gap="sm">
        <Text fw={600} id="reset-password-question">
          Are you sure you want to reset the password?
        </Text>
        <Text fz="sm" c="dimmed" mt={-6}>
          Their current password stops working at once and every session of {username} ends.
        </Text>
        <Checkbox
          label="Also reset API token"
          description="Revokes their personal API token too; scripts and the CLI using it stop working."
          checked={alsoToken}
          onChange={(event) => setAlsoToken(event.currentTarget.checked)}
        />
        {offerMfaReset && (
          <Checkbox
            label="Also reset two-factor authentication and passkeys"
            description="Removes their authenticator app, recovery codes, security keys and passkeys: for a lost phone, or to lock out someone who added their own."
            checked={alsoMfa}
            onChange={(event) => setAlsoMfa(event.currentTarget.checked)}
          />
        )}
        {reset.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not reset the password">
            {isApiError(reset.error) ? reset.error.detail : 'Something went wrong. Please try again.'}
          </Alert>
        )}
        <Group gap="sm" justify="flex-end">
          <Button variant="default" size="sm" onClick={() => setConfirming(false)} disabled={reset.isPending}>
            Keep the password
          </Button>
          <Button color="red" size="sm" onClick={() => reset.mutate()} loading={reset.isPending}>
            Reset password
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
