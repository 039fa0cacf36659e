import { Alert, Badge, Button, Divider, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorDetail } from '../../api/problem-fields';
import {
  deactivateServiceAccount,
  reactivateServiceAccount,
  type ServiceAccountAbilities,
  type ServiceAccountDetail,
  type ServiceAccountRole,
  updateServiceAccount,
} from '../../api/service-accounts';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/error-state';
import { IconAlert, IconCheck } from '../../components/icons';
import { useRequestClose } from '../../components/one-time-secret';
import { PageLoader } from '../../components/page-loader';
import { peopleKeys } from '../people/people-queries';
import { RegenerateTokenSection } from './regenerate-token-section';
import { ServiceAccountBadge } from './service-account-badge';
import { ServiceAccountRoleField } from './service-account-fields';
import { serviceAccountKeys, serviceAccountOptions, tokenExpiresAt } from './service-account-view';
import { TokenExpiry } from './token-expiry';

export interface ServiceAccountRef {
  id: string;
  name: string;
}

interface EditServiceAccountDialogProps {
  /** The service account to edit, or null when the dialog is closed. */
  account: ServiceAccountRef | null;
  onClose: () => void;
  /** Delete was asked for: the page closes this dialog and opens the delete confirmation. */
  onDelete: (account: ServiceAccountRef) => void;
}

/**
 * Edit service account (docs/product/console.md#service-accounts): description and role, Regenerate Token,
 * Deactivate or Reactivate, and Delete, each acting on its own.
 */
export function EditServiceAccountDialog({ account, onClose, onDelete }: EditServiceAccountDialogProps) {
  return (
    <Dialog
      opened={account !== null}
      onClose={onClose}
      title={account ? `Edit service account ${account.name}` : 'Edit service account'}
      size="lg"
    >
      {account && <EditContent id={account.id} onClose={onClose} onDelete={onDelete} />}
    </Dialog>
  );
}

function EditContent({ id, onClose, onDelete }: { id: string; onClose: () => void; onDelete: (account: ServiceAccountRef) => void }) {
  const detail = useQuery({ ...serviceAccountOptions(id), staleTime: 0 });
  if (detail.isError)
    return <ErrorState title="Could not load this service account" error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.isPending) return <PageLoader label="Loading…" />;
  return <EditForm account={detail.data} onClose={onClose} onDelete={onDelete} />;
}

function EditForm({
  account,
  onClose,
  onDelete,
}: {
  account: ServiceAccountDetail;
  onClose: () => void;
  onDelete: (account: ServiceAccountRef) => void;
}) {
  const abilities: ServiceAccountAbilities = account.abilities;
  const queryClient = useQueryClient();
  // Close asks first while a regenerated token is on screen and was not copied.
  const close = useRequestClose(onClose);
  const [description, setDescription] = useState(account.description);
  const [role, setRole] = useState<ServiceAccountRole>(account.role);
  const [saved, setSaved] = useState<string | null>(null);
  const active = account.status === 'active';
  const changed = description.trim() !== account.description || role !== account.role;

  const updated = (next: ServiceAccountDetail) => {
    queryClient.setQueryData(serviceAccountKeys.detail(account.id), next);
    void queryClient.invalidateQueries({ queryKey: peopleKeys.lists() });
  };

  const save = useMutation({
    mutationFn: () =>
      updateServiceAccount(account.id, {
        ...(description.trim() !== account.description ? { description: description.trim() } : {}),
        ...(role !== account.role ? { role } : {}),
      }),
    onSuccess: (next) => {
      setSaved(role !== account.role ? 'Role successfully assigned' : 'Description saved');
      updated(next);
    },
    onError: () => setSaved(null),
  });
  const status = useMutation({
    mutationFn: () => (active ? deactivateServiceAccount(account.id) : reactivateServiceAccount(account.id)),
    onSuccess: updated,
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (changed) save.mutate();
  }

  return (
    <Stack gap="lg">
      <Group gap="xs">
        <ServiceAccountBadge />
        <Badge color={active ? 'green' : 'gray'} variant="light" tt="none" radius="sm">
          {active ? 'Active' : 'Deactivated'}
        </Badge>
        <Text fz="sm" c="dimmed">
          Created <DateTime value={account.createdAt} mode="absolute" />
          {account.createdBy ? ` by ${account.createdBy.name}` : ''}
        </Text>
      </Group>
      <form onSubmit={submit} noValidate aria-label={`Edit service account ${account.name}`}>
        <Stack gap="md">
          <Textarea
            label="Description"
            disabled={!abilities.edit}
            autosize
            minRows={2}
            maxRows={5}
            value={description}
            onChange={(event) => {
              setDescription(event.currentTarget.value);
              setSaved(null);
            }}
          />
          <ServiceAccountRoleField
            value={role}
            onChange={(next) => {
              setRole(next);
              setSaved(null);
            }}
            adminAllowed={abilities.allowedRoles.includes('admin')}
            disabledReason={abilities.edit ? undefined : (abilities.reason ?? 'You cannot change this service account.')}
          />
          {saved !== null && !save.isPending && (
            <Alert color="green" variant="light" icon={<IconCheck />} role="status">
              {saved}
            </Alert>
          )}
          {save.isError && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not save the changes">
              {errorDetail(save.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" disabled={!changed || !abilities.edit} loading={save.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
      <Divider />
      <Stack gap={6}>
        <Text fw={600} fz="sm">
          Token
        </Text>
        <TokenExpiry expiresAt={tokenExpiresAt(account)} />
        <Text fz="sm" c="dimmed">
          Last used: <DateTime value={account.token?.lastUsedAt ?? null} />
          {account.token?.lastUsedIp ? ` from ${account.token.lastUsedIp}` : ''}
        </Text>
        {abilities.regenerateToken && (
          <RegenerateTokenSection id={account.id} name={account.name} neverAllowed={abilities.neverExpiringToken} />
        )}
      </Stack>
      <Divider />
      <Stack gap={6}>
        <Text fw={600} fz="sm">
          Status
        </Text>
        <Text fz="sm" c="dimmed" role="status">
          {active
            ? 'Active: its token works. Deactivating stops the token on the very next request; reactivating restores the same token.'
            : 'Deactivated: its token is refused. Reactivate to restore the same token.'}
        </Text>
        <Group gap="sm">
          {(active ? abilities.deactivate : abilities.reactivate) && (
            <Button variant="default" size="xs" onClick={() => status.mutate()} loading={status.isPending}>
              {active ? 'Deactivate' : 'Reactivate'}
            </Button>
          )}
          {abilities.remove && (
            <Button variant="outline" color="#b02525" size="xs" onClick={() => onDelete({ id: account.id, name: account.name })}>
              Delete service account
            </Button>
          )}
        </Group>
        {status.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />}>
            {errorDetail(status.error)}
          </Alert>
        )}
      </Stack>
      <Divider />
      <Group justify="flex-end">
        <Button variant="default" onClick={close}>
          Close
        </Button>
      </Group>
    </Stack>
  );
}
