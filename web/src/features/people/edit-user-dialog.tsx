import { Alert, Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/client';
import { changeEmail, changeRole, type PersonDetail } from '../../api/people';
import type { InstanceRoleId } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/error-state';
import { IconAlert, IconCheck } from '../../components/icons';
import { useRequestClose } from '../../components/one-time-secret';
import { PageLoader } from '../../components/page-loader';
import { roleLabel } from '../../components/role-badge';
import { AccountActions } from './account-actions';
import { peopleKeys, personOptions } from './people-queries';
import { ResetPasswordSection } from './reset-password-section';
import { RoleOptions } from './role-options';

interface EditUserDialogProps {
  /** The person to edit, or null when the dialog is closed. */
  person: { id: string; username: string } | null;
  onClose: () => void;
}

/** Edit user (docs/product/console.md#people): role, email, reset password, unlock, end sessions — each as far as the server allows. */
export function EditUserDialog({ person, onClose }: EditUserDialogProps) {
  return (
    <Dialog opened={person !== null} onClose={onClose} title={person ? `Edit user ${person.username}` : 'Edit user'} size="lg">
      {person && <EditUserContent id={person.id} onClose={onClose} />}
    </Dialog>
  );
}

function EditUserContent({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useQuery({ ...personOptions(id), staleTime: 0 });
  if (detail.isError) return <ErrorState title="Could not load this person" error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.isPending) return <PageLoader label="Loading…" />;
  return <EditUserForm person={detail.data} onClose={onClose} />;
}

function EditUserForm({ person, onClose }: { person: PersonDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  // Cancel asks first while a new temporary password is on screen and was not copied.
  const close = useRequestClose(onClose);
  const [role, setRole] = useState<InstanceRoleId>(person.role);
  const [email, setEmail] = useState(person.email);
  const [done, setDone] = useState<string[]>([]);
  const { abilities } = person;
  const roleChanged = abilities.changeRole && role !== person.role;
  const emailChanged = abilities.changeEmail && email.trim() !== person.email;

  const save = useMutation({
    mutationFn: async () => {
      const messages: string[] = [];
      let updated = person;
      if (roleChanged) {
        updated = await changeRole(person.id, role);
        messages.push('Role successfully assigned');
      }
      if (emailChanged) {
        updated = await changeEmail(person.id, email.trim());
        messages.push('Email address updated');
      }
      return { updated, messages };
    },
    onSuccess: ({ updated, messages }) => {
      setDone(messages);
      queryClient.setQueryData(peopleKeys.detail(person.id), updated);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: peopleKeys.byUsername(person.username) });
    },
    onError: () => setDone([]),
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (roleChanged || emailChanged) save.mutate();
  }

  const emailError =
    isApiError(save.error) && (save.error.code === 'email_taken' || save.error.code === 'invalid_email') ? save.error.detail : null;
  const viaGroup = person.effectiveRole !== person.role;

  // Sections, each acting on its own (issue 17 item 9): role and email are saved together near the top, so that the
  // quick role change never needs scrolling; password and sign-in act at once; the dialog itself only closes.
  return (
    <Stack gap="lg">
      <form onSubmit={submit} noValidate aria-label={`Edit user ${person.username}`}>
        <Stack gap="md">
          <RoleOptions value={role} onChange={setRole} abilities={abilities} />
          {viaGroup && (
            <Text fz="sm" c="dimmed">
              Through a group, {person.username} currently acts as {roleLabel(person.effectiveRole)}: the highest of their own role and
              their groups' roles counts.
            </Text>
          )}
          {abilities.changeEmail ? (
            <TextInput
              label="Email address"
              type="email"
              value={email}
              onChange={(event) => {
                setEmail(event.currentTarget.value);
                if (save.isError) save.reset();
              }}
              error={emailError}
            />
          ) : (
            <Stack gap={2}>
              <Text fw={600} fz="sm">
                Email address
              </Text>
              <Text fz="sm">{person.email}</Text>
            </Stack>
          )}
          {done.length > 0 && !save.isPending && (
            <Alert color="green" variant="light" icon={<IconCheck />} role="status">
              {done.join('. ')}
            </Alert>
          )}
          {save.isError && emailError === null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not save the changes">
              {isApiError(save.error) ? save.error.detail : 'Something went wrong. Please try again.'}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" disabled={!roleChanged && !emailChanged} loading={save.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
      {(abilities.resetPassword || abilities.unlock || abilities.endSessions) && <Divider />}
      {abilities.resetPassword && (
        <Stack gap={6}>
          <Text fw={600} fz="sm">
            Password
          </Text>
          <ResetPasswordSection personId={person.id} username={person.username} offerMfaReset={person.mfaEnabled && abilities.resetMfa} />
        </Stack>
      )}
      <AccountActions person={person} />
      <Divider />
      <Group justify="flex-end">
        <Button variant="default" onClick={close}>
          Close
        </Button>
      </Group>
    </Stack>
  );
}
