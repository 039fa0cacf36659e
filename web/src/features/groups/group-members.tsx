import { Alert, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isOrganizationRole } from '../../../../src/shared/permissions';
import { type GroupDetail, type GroupMemberEntry, removeGroupMember } from '../../api/group-management';
import { errorDetail } from '../../api/problem-fields';
import { DateTime } from '../../components/date-time';
import { ErrorState } from '../../components/error-state';
import { IconAlert } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageLoader } from '../../components/page-loader';
import { RoleBadge } from '../../components/role-badge';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { ServiceAccountBadge } from '../service-accounts/service-account-badge';
import { useSession } from '../session/session-context';
import { AddMemberPicker } from './add-member-picker';
import { groupMembersOptions, refreshGroups } from './groups-queries';

/**
 * The group's members, page by page, with "Add a member" and "Remove" for whoever may manage the group. Email, own
 * role and join date are columns only when the server sends them (to callers who may see people,
 * docs/product/security-settings.md#privacy-between-users).
 */
export function GroupMembers({ group }: { group: GroupDetail }) {
  const { abilities } = useSession();
  const queryClient = useQueryClient();
  const members = useInfiniteQuery(groupMembersOptions(group.id));
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const manage = group.abilities.manage;

  const remove = useMutation({
    mutationFn: (member: GroupMemberEntry) => removeGroupMember(group.id, member.id),
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

  const rows = members.data?.pages.flatMap((page) => page.items) ?? [];
  const detailed = rows.some((member) => 'email' in member);
  const count = group.memberCount;
  return (
    <SettingsSection
      title="Members"
      description={`${count} ${count === 1 ? 'member' : 'members'}. Each gets the group's instance role (if higher than their own) and its project access.`}
    >
      {manage && abilities.viewPeople && <AddMemberPicker group={group} />}
      {members.isError ? (
        <ErrorState title="Could not load the members" error={members.error} onRetry={() => void members.refetch()} />
      ) : members.isPending ? (
        <PageLoader label="Loading the members…" />
      ) : rows.length === 0 ? (
        <Text c="dimmed">This group has no members yet.</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={detailed ? 560 : 280}>
            <Table verticalSpacing="sm" aria-label={`Members of ${group.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Username</Table.Th>
                  {detailed && (
                    <>
                      <Table.Th scope="col">Email</Table.Th>
                      <Table.Th scope="col">Own role</Table.Th>
                      <Table.Th scope="col">Added</Table.Th>
                    </>
                  )}
                  {manage && (
                    <Table.Th scope="col">
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((member) => (
                  <Table.Tr key={member.id}>
                    <Table.Td fw={600} style={{ overflowWrap: 'anywhere' }}>
                      <Group gap={6} wrap="nowrap">
                        {member.username}
                        {member.type === 'service_account' && <ServiceAccountBadge size="xs" />}
                      </Group>
                    </Table.Td>
                    {detailed && 'email' in member && (
                      <>
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>{member.email}</Table.Td>
                        <Table.Td>{isOrganizationRole(member.role) ? <RoleBadge role={member.role} /> : member.role}</Table.Td>
                        <Table.Td>
                          <DateTime value={member.addedAt} />
                        </Table.Td>
                      </>
                    )}
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
          {(members.hasNextPage || rows.length > 50) && (
            <LoadMore
              hasMore={members.hasNextPage}
              loading={members.isFetchingNextPage}
              onLoadMore={() => void members.fetchNextPage()}
              shownLabel={`${rows.length} of ${count} members shown`}
            />
          )}
        </>
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
