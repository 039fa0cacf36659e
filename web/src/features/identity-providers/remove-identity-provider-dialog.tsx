import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { type IdentityProvider, removeIdentityProvider } from '../../api/identity-providers';
import { errorDetail } from '../../api/problem-fields';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { identityProvidersQueryKey } from './identity-providers-queries';

/** Remove an identity provider (docs/sso.md): asks first, says what goes with it, then leads back to the list. */
export function RemoveIdentityProviderDialog({
  provider,
  opened,
  onClose,
}: {
  provider: IdentityProvider;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => removeIdentityProvider(provider.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: [...identityProvidersQueryKey, 'detail', provider.id] });
      await queryClient.invalidateQueries({ queryKey: identityProvidersQueryKey });
      notifications.show({
        color: 'green',
        title: `${provider.label} was removed`,
        message: 'Nobody can log in with it any more. The audit log keeps its history.',
      });
      void navigate('/settings/identity-providers');
    },
  });
  return (
    <Dialog opened={opened} onClose={onClose} title={`Remove ${provider.label}?`} size="lg">
      <Stack gap="md">
        <Text>
          The login page no longer offers <strong>Log in with {provider.label}</strong>, and every account linked through it is unlinked:
          people who have no password can no longer log in until an Owner or Admin gives them one. Its group mappings go too; the groups and
          their members stay. This cannot be undone.
        </Text>
        {remove.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title={`Could not remove ${provider.label}`}>
            {errorDetail(remove.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
            Remove {provider.label}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
