import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorDetail, fieldError } from '../../api/problem-fields';
import { changeOwnEmail } from '../../api/profile';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { meQueryKey } from '../session/me-query';
import { useSession } from '../session/session-context';
import { type ChangeProofState, emptyProof, proofOf, showProofError } from '../two-factor/change-proof';
import { OwnChangeProofFields, useSecondFactorNeeds } from '../two-factor/own-change-proof';
import { usePasswordless } from './confirm-with-provider';

/** The seed's warning, kept word for word in spirit (Semaphore, "How to change your email address"). */
export const emailChangeWarning =
  'Changing your email address can revoke access to integrations such as GitHub and BitBucket. You may need to reconnect your repositories afterwards.';

const emailFieldCodes = ['invalid_email', 'email_taken'] as const;

/**
 * Email Address (docs/product/console.md#profile-settings): new address → confirmation with the seed's warning, the
 * current password and, with 2FA on, a code or a security key.
 */
export function EmailSection() {
  const me = useSession();
  const { passwordless } = usePasswordless();
  const needs = useSecondFactorNeeds();
  const queryClient = useQueryClient();
  const [opened, dialog] = useDisclosure(false);
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [proof, setProof] = useState<ChangeProofState>(emptyProof);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: changeOwnEmail,
    onSuccess: (updated) => {
      queryClient.setQueryData(meQueryKey, updated);
      closeDialog();
      setEmail('');
      setSaved(`Email updated to ${updated.user.email}. Your other sessions were signed out.`);
    },
    onError: (error) => {
      const forEmail = fieldError(error, 'email', emailFieldCodes);
      if (forEmail !== undefined) {
        // The address itself is the problem: close the dialog and show it next to the field it belongs to.
        closeDialog();
        setEmailError(forEmail);
      } else if (!showProofError(error, proof, setProof)) {
        setDialogError(errorDetail(error));
      }
    },
  });

  function closeDialog(): void {
    dialog.close();
    setProof(emptyProof);
    setDialogError(null);
  }

  function openConfirmation(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(null);
    const trimmed = email.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) {
      setEmailError('Enter an email address such as name@example.com.');
      return;
    }
    if (trimmed.toLowerCase() === me.user.email.toLowerCase()) {
      setEmailError('This is already your email address.');
      return;
    }
    setEmailError(undefined);
    dialog.open();
  }

  function confirm(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    // Without a password, a fresh provider login of this session stands in for it (ConfirmWithProvider).
    const body = proofOf(proof, setProof, needs.secondFactorNeeded, passwordless);
    if (!body) return;
    setDialogError(null);
    mutation.mutate({ email: email.trim(), ...body });
  }

  return (
    <SettingsSection id="email" title="Email Address" description="Where this server reaches you. You can also log in with it.">
      <Stack gap={2}>
        <Text size="sm" c="dimmed">
          Current email
        </Text>
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
          {me.user.email}
        </Text>
      </Stack>
      <form onSubmit={openConfirmation} noValidate aria-label="Email Address">
        <Stack gap="sm">
          <TextInput
            label="New email address"
            type="email"
            name="email"
            autoComplete="email"
            spellCheck={false}
            maw={480}
            placeholder={me.user.email}
            value={email}
            onChange={(event) => {
              setEmail(event.currentTarget.value);
              setSaved(null);
              setEmailError(undefined);
            }}
            error={emailError}
          />
          <Group>
            <Button type="submit">Update email</Button>
          </Group>
          <SuccessMessage message={saved} />
        </Stack>
      </form>

      <Dialog opened={opened} onClose={closeDialog} title="Change your email address?">
        <form onSubmit={confirm} noValidate aria-label="Confirm the new email address">
          <Stack gap="md">
            <Text size="sm">
              New address: <strong style={{ overflowWrap: 'anywhere' }}>{email.trim()}</strong>
            </Text>
            <Alert color="orange" variant="light" icon={<IconAlert />} title="Integrations may disconnect">
              {emailChangeWarning}
            </Alert>
            <Text size="sm">Your other sessions will be signed out. This browser stays signed in.</Text>
            {dialogError !== null && (
              <Alert color="red" variant="light" icon={<IconAlert />} title="Could not change the email">
                {dialogError}
              </Alert>
            )}
            <OwnChangeProofFields needs={needs} state={proof} onChange={setProof} autoFocus />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={closeDialog}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending} disabled={!needs.ready}>
                Update email
              </Button>
            </Group>
          </Stack>
        </form>
      </Dialog>
    </SettingsSection>
  );
}
