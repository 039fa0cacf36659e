import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorDetail } from '../../api/problem-fields';
import { resetApiToken, revokeApiToken } from '../../api/profile';
import type { ChangeProof } from '../../api/webauthn';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { meQueryKey } from '../session/me-query';
import { useSession } from '../session/session-context';
import { type ChangeProofState, emptyProof, proofOf, showProofError } from '../two-factor/change-proof';
import { OwnChangeProofFields, useSecondFactorNeeds } from '../two-factor/own-change-proof';
import { usePasswordless } from './confirm-with-provider';
import { NewTokenPanel } from './new-token-panel';

type Action = 'reset' | 'revoke';

/**
 * API Token (docs/product/console.md#profile-settings, docs/product/security-settings.md#api-tokens): metadata of the
 * personal token; reset (shown once) and revoke, both with the password (and, with 2FA on, a code or a security key).
 */
export function ApiTokenSection() {
  const { token } = useSession();
  const queryClient = useQueryClient();
  const [opened, dialog] = useDisclosure(false);
  const [action, setAction] = useState<Action>('reset');
  const { passwordless } = usePasswordless();
  const needs = useSecondFactorNeeds();
  const [proof, setProof] = useState<ChangeProofState>(emptyProof);
  const [dialogError, setDialogError] = useState<string | null>(null);
  // The plaintext lives only here, only while the dialog is open: closing it forgets the token for good.
  const [newToken, setNewToken] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: async (input: { action: Action; proof: ChangeProof }): Promise<string | null> => {
      if (input.action === 'reset') return (await resetApiToken(input.proof)).token;
      await revokeApiToken(input.proof);
      return null;
    },
    onSuccess: (created, input) => {
      setProof(emptyProof);
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
      if (input.action === 'reset') {
        setNewToken(created);
        setSaved(token === null ? 'API token created.' : 'New API token created. The old one no longer works.');
      } else {
        dialog.close();
        setSaved('API token revoked. Scripts and the CLI can no longer use it.');
      }
    },
    onError: (error) => {
      if (!showProofError(error, proof, setProof)) setDialogError(errorDetail(error));
    },
  });

  function open(next: Action): void {
    setAction(next);
    setSaved(null);
    setProof(emptyProof);
    setDialogError(null);
    setNewToken(null);
    dialog.open();
  }

  function close(): void {
    setNewToken(null);
    setProof(emptyProof);
    dialog.close();
  }

  function confirm(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    // Without a password, a fresh provider login of this session stands in for it (ConfirmWithProvider).
    const body = proofOf(proof, setProof, needs.secondFactorNeeded, passwordless);
    if (!body) return;
    setDialogError(null);
    mutation.mutate({ action, proof: body });
  }

  // With no token yet, "reset" creates the first one: nothing stops working, so there is nothing to warn about.
  const creating = action === 'reset' && token === null;
  const title =
    newToken !== null
      ? 'Your new API token'
      : creating
        ? 'Create an API token'
        : action === 'reset'
          ? 'Reset your API token?'
          : 'Revoke your API token?';

  return (
    <SettingsSection
      id="api-token"
      title="API Token"
      description="A personal token for the REST API and the roster command-line tool. It acts with your current permissions."
    >
      {token === null ? (
        <Text size="sm">You have no API token.</Text>
      ) : (
        <Stack gap={6}>
          <Group gap="xs">
            <Badge color="green" variant="light" radius="sm" tt="none">
              Active
            </Badge>
            <Text size="sm">
              Token <code>{token.prefix}…</code>
            </Text>
          </Group>
          <Text size="sm" c="dimmed">
            Created <DateTime value={token.createdAt} /> · Last used <DateTime value={token.lastUsedAt} fallback="never" />
          </Text>
        </Stack>
      )}
      <Group gap="sm">
        <Button onClick={() => open('reset')}>{token === null ? 'Create API token' : 'Reset API Token'}</Button>
        {token !== null && (
          <Button variant="default" color="red" onClick={() => open('revoke')}>
            Revoke
          </Button>
        )}
      </Group>
      <SuccessMessage message={saved} />

      <Dialog opened={opened} onClose={close} title={title} closeOnClickOutside={newToken === null} size={newToken === null ? 'md' : 'lg'}>
        {newToken !== null ? (
          <NewTokenPanel token={newToken} onDone={close} />
        ) : (
          <form onSubmit={confirm} noValidate aria-label={title}>
            <Stack gap="md">
              {creating ? (
                <Text size="sm">
                  The token acts with your permissions for the REST API and the command-line tool. It is shown once, right after you confirm
                  with your password.
                </Text>
              ) : (
                <Alert color="orange" variant="light" icon={<IconAlert />} title="The current token stops working at once">
                  {action === 'reset'
                    ? 'Your current token will stop working immediately for the API and for the CLI. Only reset it if you have lost it or suspect that someone else has used it. Scripts and CLI contexts that use it need the new one.'
                    : 'Your token will stop working immediately for the API and for the CLI, and no new one is created.'}
                </Alert>
              )}
              {dialogError !== null && (
                <Alert color="red" variant="light" icon={<IconAlert />} title="Could not change the token">
                  {dialogError}
                </Alert>
              )}
              <OwnChangeProofFields needs={needs} state={proof} onChange={setProof} autoFocus />
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" color={action === 'revoke' ? 'red' : undefined} loading={mutation.isPending} disabled={!needs.ready}>
                  {creating ? 'Create API token' : action === 'reset' ? 'Reset API Token' : 'Revoke token'}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Dialog>
    </SettingsSection>
  );
}
