import { Alert, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isOrganizationRole } from '../../../../src/shared/permissions';
import { type GroupDetail, removeGroupMember } from '../../api/group-management';
import { errorDetail } from '../../api/problem-fields';
import { DateTime } from '../../components/date-time';
import { IconAlert } from '../../components/icons';
import { RoleBadge } from '../../components/role-badge';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { useSession } from '../session/session-context';
import { AddMemberPicker } from './add-member-picker';
import { refreshGroups } from './groups-queries';

type Member = GroupDetail['members'][number];

/** The group's members, with "Add a member" and "Remove" for whoever may manage the group. */
export function GroupMembers({ group }: { group: GroupDetail }) {
  const { abilities } = useSession();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const manage = group.abilities.manage;

  const remove = useMutation({
    mutationFn: (member: Member) => removeGroupMember(group.id, member.id),
    onMutate: () => {
      setFailure(null);
      setSaved(null);
    },
    onSuccess: async (_result, member) => {
      setSaved(`${member.username} removed from ${group.name}.`);
      await refreshGroups(queryClient);
    },
    onError: (error) => setFailure(errorDetail(error)),
  });

  const count = group.members.length;
  return (
    <SettingsSection
      title="Members"
      description={`${count} ${count === 1 ? 'member' : 'members'}. Each gets the group's instance role (if higher than their own) and its project access.`}
    >
      {manage && abilities.viewPeople && <AddMemberPicker group={group} />}
      {count === 0 ? (
        <Text c="dimmed">This group has no members yet.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Username</Table.Th>
                <Table.Th scope="col">Email</Table.Th>
                <Table.Th scope="col">Own role</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
                {manage && (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {group.members.map((member) => (
                <Table.Tr key={member.id}>
                  <Table.Td fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {member.username}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{member.email}</Table.Td>
                  <Table.Td>{isOrganizationRole(member.role) ? <RoleBadge role={member.role} /> : member.role}</Table.Td>
                  <Table.Td>
                    <DateTime value={member.addedAt} />
                  </Table.Td>
                  {manage && (
                    <Table.Td ta="right">
                      <Button
                        variant="default"
                        size="xs"
                        loading={remove.isPending && remove.variables?.id === member.id}
                        onClick={() => remove.mutate(member)}
                        aria-label={`Remove ${member.username} from the group`}
                      >
                        Remove
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {failure !== null && (
        <Alert color="red" variant="light" icon={<IconAlert />} title="Could not remove the member">
          {failure}
        </Alert>
      )}
      <SuccessMessage message={saved} />
    </SettingsSection>
  );
}
