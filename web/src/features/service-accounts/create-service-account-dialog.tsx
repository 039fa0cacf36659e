import { Alert, Button, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorDetail, fieldError } from '../../api/problem-fields';
import {
  createServiceAccount,
  defaultTokenExpiryDays,
  type ExpiresInDays,
  type ServiceAccount,
  type ServiceAccountRole,
} from '../../api/service-accounts';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { useRequestClose } from '../../components/one-time-secret';
import { useRefreshPeople } from '../people/people-queries';
import { usernameRule } from '../profile/screen-name-section';
import { useSession } from '../session/session-context';
import { ExpiresInDaysField, ServiceAccountRoleField } from './service-account-fields';
import { ServiceAccountToken } from './service-account-token';
import { tokenExpiresAt } from './service-account-view';

interface Created {
  serviceAccount: ServiceAccount;
  token: string;
}

/**
 * Create Service Account (docs/product/console.md#service-accounts): name, description, role and token expiry; then
 * the token, shown once.
 */
export function CreateServiceAccountDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<Created | null>(null);
  function close(): void {
    setCreated(null);
    onClose();
  }
  return (
    <Dialog
      opened={opened}
      onClose={close}
      title={created ? `Service account ${created.serviceAccount.name} created` : 'Create Service Account'}
      closeOnClickOutside={created === null}
      size="lg"
    >
      {created === null ? (
        <CreateServiceAccountForm onCreated={setCreated} onCancel={close} />
      ) : (
        <CreatedServiceAccount created={created} onDone={close} />
      )}
    </Dialog>
  );
}

function CreateServiceAccountForm({ onCreated, onCancel }: { onCreated: (created: Created) => void; onCancel: () => void }) {
  const { abilities } = useSession();
  const refreshPeople = useRefreshPeople();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [role, setRole] = useState<ServiceAccountRole>('member');
  const [lifetime, setLifetime] = useState<ExpiresInDays>(defaultTokenExpiryDays);
  const [nameError, setNameError] = useState<string | undefined>();

  const create = useMutation({
    mutationFn: () =>
      createServiceAccount({
        name: name.trim(),
        ...(description.trim() === '' ? {} : { description: description.trim() }),
        role,
        expiresInDays: lifetime,
      }),
    onSuccess: (result) => {
      void refreshPeople();
      onCreated(result);
    },
    onError: (error) => setNameError(fieldError(error, 'name', ['name_taken', 'username_taken', 'invalid_username'])),
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (name.trim() === '') {
      setNameError('Enter a name.');
      return;
    }
    create.mutate();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create Service Account">
      <Stack gap="md">
        <Text fz="sm" c="dimmed">
          A service account is an identity for a script, a CI pipeline or another service. It signs in with its token only, never in the
          console, and keeps working when the person who created it leaves.
        </Text>
        <TextInput
          label="Name"
          description={`Its handle, from the same names as usernames: ${usernameRule}`}
          placeholder="ci-deploy"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setNameError(undefined);
          }}
          error={nameError}
          data-autofocus
          required
        />
        <Textarea
          label="Description"
          description="Optional: what uses it, and who to ask about it."
          autosize
          minRows={2}
          maxRows={5}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        <ServiceAccountRoleField value={role} onChange={setRole} adminAllowed={abilities.createAdminServiceAccounts} />
        <ExpiresInDaysField value={lifetime} onChange={setLifetime} neverAllowed={abilities.createNeverExpiringServiceAccountTokens} />
        {create.isError && nameError === undefined && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not create the service account">
            {errorDetail(create.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create Service Account
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CreatedServiceAccount({ created, onDone }: { created: Created; onDone: () => void }) {
  // Done asks first while the token was not copied, like Escape and ×.
  const done = useRequestClose(onDone);
  // The form that had focus is gone: focus moves to the summary, not to <body>.
  const summaryRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => summaryRef.current?.focus(), []);
  const { serviceAccount, token } = created;
  return (
    <Stack gap="md">
      <Text fw={600} role="status" ref={summaryRef} tabIndex={-1} style={{ outline: 'none' }}>
        {serviceAccount.name} was created with the {serviceAccount.role === 'admin' ? 'Admin' : 'Member'} role.
      </Text>
      <ServiceAccountToken name={serviceAccount.name} token={token} expiresAt={tokenExpiresAt(serviceAccount)} />
      <Group justify="flex-end">
        <Button onClick={done}>Done</Button>
      </Group>
    </Stack>
  );
}
