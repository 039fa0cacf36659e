import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorDetail } from '../../api/problem-fields';
import {
  addWebAuthnCredential,
  fetchWebAuthnCredentials,
  removeWebAuthnCredential,
  renameWebAuthnCredential,
  type WebAuthnCredential,
  webAuthnBrowserMessage,
} from '../../api/webauthn';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { IconAlert, IconKey, IconPlus } from '../../components/icons';
import { SuccessMessage } from '../../components/status-message';
import { usePasswordless } from '../profile/confirm-with-provider';
import { ChangeProofFields, type ChangeProofState, emptyProof, proofOf, showProofError } from './change-proof';
import { RecoveryCodesPanel } from './recovery-codes-panel';

export const webAuthnQueryKey = ['me', 'mfa', 'webauthn'] as const;
export const webAuthnQueryOptions = {
  queryKey: webAuthnQueryKey,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchWebAuthnCredentials(signal),
};

type Editing = { action: 'add' } | { action: 'rename'; key: WebAuthnCredential } | { action: 'remove'; key: WebAuthnCredential };

interface SecurityKeysProps {
  /** 2FA is on: every change also needs a second factor. */
  secondFactorNeeded: boolean;
  /** Called after a change, so that the 2FA status is read again (a first key turns 2FA on). */
  onChanged?: (result: { recoveryCodes?: string[] }) => void;
}

/**
 * Security keys and passkeys (docs/product/console.md#two-factor-authentication): the list, and add, rename, remove —
 * each with the current password and, once 2FA is on, a second factor.
 */
export function SecurityKeys({ secondFactorNeeded, onChanged }: SecurityKeysProps) {
  const queryClient = useQueryClient();
  const keys = useQuery(webAuthnQueryOptions);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [proof, setProof] = useState<ChangeProofState>(emptyProof);
  const { passwordless } = usePasswordless();
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const mutation = useMutation({
    mutationFn: async (input: { editing: Editing; name: string; proof: NonNullable<ReturnType<typeof proofOf>> }) => {
      if (input.editing.action === 'add') return addWebAuthnCredential({ ...input.proof, name: input.name });
      if (input.editing.action === 'rename') return renameWebAuthnCredential(input.editing.key.id, { ...input.proof, name: input.name });
      await removeWebAuthnCredential(input.editing.key.id, input.proof);
      return null;
    },
    onSuccess: (result, input) => {
      // The first key turned 2FA on: its recovery codes, shown once.
      const codes = result && 'recoveryCodes' in result ? result.recoveryCodes : [];
      if (codes.length > 0) setRecoveryCodes(codes);
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: webAuthnQueryKey });
      onChanged?.({});
      setSaved(
        input.editing.action === 'add'
          ? `“${input.name}” added. You can use it to sign in.`
          : input.editing.action === 'rename'
            ? `Renamed to “${input.name}”.`
            : `“${input.editing.key.name}” removed. It can no longer sign in to your account.`,
      );
    },
    onError: (error) => {
      const browser = webAuthnBrowserMessage(error);
      if (browser) setDialogError(browser);
      else if (!showProofError(error, proof, setProof)) setDialogError(errorDetail(error));
    },
  });

  function open(next: Editing): void {
    setEditing(next);
    setName(next.action === 'rename' ? next.key.name : '');
    setNameError(undefined);
    setProof(emptyProof);
    setDialogError(null);
    setSaved(null);
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!editing) return;
    const trimmed = name.trim();
    const missingName = editing.action !== 'remove' && trimmed === '';
    if (missingName) setNameError('Give the key a name, such as “YubiKey” or “Work laptop”.');
    const body = proofOf(proof, setProof, secondFactorNeeded, passwordless);
    if (!body || missingName) return;
    setDialogError(null);
    mutation.mutate({ editing, name: trimmed, proof: body });
  }

  if (keys.isPending) return <Skeleton height={72} />;
  if (keys.isError)
    return (
      <Alert color="red" variant="light" icon={<IconAlert />} title="Could not load your security keys">
        {errorDetail(keys.error)}
      </Alert>
    );
  const { items, available, unavailableReason } = keys.data;
  const title =
    editing?.action === 'add'
      ? 'Add a security key or passkey'
      : editing?.action === 'rename'
        ? 'Rename security key'
        : 'Remove security key?';

  return (
    <Stack gap="sm">
      <Title order={3} fz="h4">
        Security keys and passkeys
      </Title>
      {!available ? (
        <Alert color="gray" variant="light" icon={<IconAlert />} title="Not available on this server">
          {unavailableReason}
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          A hardware key (such as a YubiKey), or a passkey kept by your phone, computer or password manager. A passkey can also sign you in
          without a password.
        </Text>
      )}
      {items.length > 0 && (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Your security keys and passkeys">
          {items.map((key) => (
            <Paper key={key.id} component="li" withBorder p="sm" radius="md">
              <Group justify="space-between" wrap="wrap" gap="sm">
                <Stack gap={2}>
                  <Group gap="xs">
                    <IconKey size={18} />
                    <Text fw={600}>{key.name}</Text>
                    <Badge variant="light" radius="sm" tt="none" color={key.kind === 'passkey' ? 'navy' : 'gray'}>
                      {key.kind === 'passkey' ? 'Passkey' : 'Security key'}
                    </Badge>
                  </Group>
                  <Text size="sm" c="dimmed">
                    Added <DateTime value={key.createdAt} /> · Last used <DateTime value={key.lastUsedAt} fallback="never" />
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Button variant="default" size="xs" onClick={() => open({ action: 'rename', key })} aria-label={`Rename ${key.name}`}>
                    Rename
                  </Button>
                  <Button
                    variant="default"
                    color="red"
                    size="xs"
                    onClick={() => open({ action: 'remove', key })}
                    aria-label={`Remove ${key.name}`}
                  >
                    Remove
                  </Button>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {available && (
        <Group>
          <Button variant="default" leftSection={<IconPlus />} onClick={() => open({ action: 'add' })}>
            Add security key or passkey
          </Button>
        </Group>
      )}
      <SuccessMessage message={saved} />

      <Dialog
        opened={recoveryCodes !== null}
        onClose={() => setRecoveryCodes(null)}
        title="Your recovery codes"
        closeOnClickOutside={false}
        size="lg"
      >
        {recoveryCodes !== null && <RecoveryCodesPanel codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />}
      </Dialog>
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} title={title}>
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap="md">
            {editing?.action === 'add' && (
              <Text size="sm">After you confirm, your browser asks you to touch your security key or to create a passkey.</Text>
            )}
            {editing?.action === 'remove' && (
              <Text size="sm">“{editing.key.name}” will no longer sign in to your account or confirm changes.</Text>
            )}
            {dialogError !== null && (
              <Alert color="red" variant="light" icon={<IconAlert />} title="That did not work">
                {dialogError}
              </Alert>
            )}
            {editing?.action !== 'remove' && (
              <TextInput
                label="Name"
                description="So you can tell your keys apart."
                maxLength={64}
                data-autofocus
                value={name}
                onChange={(event) => {
                  setName(event.currentTarget.value);
                  setNameError(undefined);
                }}
                error={nameError}
              />
            )}
            <ChangeProofFields
              state={proof}
              onChange={setProof}
              secondFactorNeeded={secondFactorNeeded}
              canUseSecurityKey={items.length > 0}
              autoFocus={editing?.action === 'remove'}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setEditing(null)}>
                Cancel
              </Button>
              <Button type="submit" color={editing?.action === 'remove' ? 'red' : undefined} loading={mutation.isPending}>
                {editing?.action === 'add' ? 'Continue' : editing?.action === 'rename' ? 'Save name' : 'Remove key'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Dialog>
    </Stack>
  );
}
