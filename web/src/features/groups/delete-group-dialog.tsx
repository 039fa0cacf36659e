import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { deleteGroup, type GroupDetail } from '../../api/group-management';
import { errorDetail } from '../../api/problem-fields';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { groupsQueryKey, refreshGroups } from './groups-queries';

/** "Delete group" with a confirmation that says what the members lose; a refusal (R2) shows in the dialog. */
export function DeleteGroupSection({ group }: { group: GroupDetail }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [opened, dialog] = useDisclosure(false);
  const mutation = useMutation({
    mutationFn: () => deleteGroup(group.id),
    onSuccess: async () => {
      dialog.close();
      // Forget the cached lists rather than show them with the deleted group while they reload.
      queryClient.removeQueries({ queryKey: groupsQueryKey });
      await navigate('/groups', { replace: true });
      await refreshGroups(queryClient);
      notifications.show({ color: 'green', title: 'Group deleted', message: `${group.name} was deleted.` });
    },
  });

  function close(): void {
    mutation.reset();
    dialog.close();
  }

  const count = group.memberCount;
  return (
    <SettingsSection title="Delete group" description="Members keep their accounts and their own role; they lose what the group gave them.">
      <Group>
        <Button color="red" variant="light" onClick={dialog.open}>
          Delete group
        </Button>
      </Group>
      <Dialog opened={opened} onClose={close} title="Delete this group?">
        <Stack gap="md">
          <Text size="sm">
            <strong style={{ overflowWrap: 'anywhere' }}>{group.name}</strong> will be deleted.{' '}
            {count > 0
              ? `Its ${count} ${count === 1 ? 'member loses' : 'members lose'} the group's instance role and its project access at once.`
              : 'It has no members.'}{' '}
            This cannot be undone.
          </Text>
          {mutation.isError && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not delete the group">
              {errorDetail(mutation.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={() => mutation.mutate()} loading={mutation.isPending}>
              Delete group
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </SettingsSection>
  );
}
