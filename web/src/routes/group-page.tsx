import { Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { ErrorState } from '../components/error-state';
import { NoAccess } from '../components/no-access';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { SuccessMessage } from '../components/status-message';
import { DeleteGroupSection } from '../features/groups/delete-group-dialog';
import { GroupDetailsForm } from '../features/groups/group-details-form';
import { GroupMembers } from '../features/groups/group-members';
import { GroupProjects } from '../features/groups/group-projects';
import { GroupRoleBadge } from '../features/groups/group-role';
import { groupQueryOptions } from '../features/groups/groups-queries';
import { useSession } from '../features/session/session-context';

/**
 * `/groups/<id>`: one group, its members and settings (docs/product/console.md#groups). Changes are offered only when
 * the server allows them.
 */
export function GroupPage() {
  const { abilities } = useSession();
  if (!abilities.viewGroups) {
    return (
      <>
        <PageHeader title="Group" section="Groups" />
        <NoAccess />
      </>
    );
  }
  return <GroupDetails />;
}

function GroupDetails() {
  const { groupId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const group = useQuery(groupQueryOptions(groupId));
  // "Created" is said once: remembered here, and dropped from the history entry so that a reload does not repeat it.
  const [justCreated] = useState((location.state as { created?: boolean } | null)?.created === true);
  useEffect(() => {
    if (location.state !== null) void navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  if (group.isPending) return <PageLoader label="Loading the group…" />;
  if (group.isError) {
    const missing = isApiError(group.error, { status: 404 });
    return (
      <>
        <PageHeader title="Group" section="Groups" sectionTo="/groups" />
        <ErrorState
          title={missing ? 'There is no such group' : 'Could not load the group'}
          error={group.error}
          onRetry={missing ? undefined : () => void group.refetch()}
        />
      </>
    );
  }

  const detail = group.data;
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <PageHeader
          title={detail.name}
          section="Groups"
          sectionTo="/groups"
          description={
            <Group component="span" gap="xs" wrap="wrap">
              <GroupRoleBadge role={detail.role} />
              <Text span c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {detail.description || 'No description'}
              </Text>
            </Group>
          }
        />
        <SuccessMessage message={justCreated ? `Group ${detail.name} created. Add its members below.` : null} />
      </div>
      <GroupMembers group={detail} />
      <GroupProjects group={detail} />
      {detail.abilities.manage && (
        <>
          <GroupDetailsForm key={detail.id} group={detail} />
          <DeleteGroupSection group={detail} />
        </>
      )}
    </Stack>
  );
}
