import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listGroupProjects } from '../../api/group-projects';
import { EntityLink } from '../../components/entity-link';
import { ErrorState } from '../../components/error-state';
import { PageLoader } from '../../components/page-loader';
import { SettingsSection } from '../../components/settings-section';
import { projectRoleLabel } from '../projects/project-role';

/**
 * "Projects": which projects the group can access and with which role (docs/product/console.md#groups). Only projects
 * the caller can see are listed; access is given on each project's People tab.
 */
export function GroupProjects({ group }: { group: { id: string; name: string } }) {
  const projects = useQuery({
    queryKey: ['groups', 'projects', group.id],
    queryFn: ({ signal }) => listGroupProjects(group.id, signal),
  });
  return (
    <SettingsSection title="Projects" description="The projects this group has a role on, as far as you can see them.">
      {projects.isPending ? (
        <PageLoader label="Loading the projects…" />
      ) : projects.isError ? (
        <ErrorState title="Could not load the projects" error={projects.error} onRetry={() => void projects.refetch()} />
      ) : projects.data.items.length === 0 ? (
        <Text c="dimmed">{group.name} has no role on any project you can see. Give it one on a project's People tab.</Text>
      ) : (
        <>
          <Table verticalSpacing="xs" aria-label={`Projects of ${group.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Project</Table.Th>
                <Table.Th>Project role</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {projects.data.items.map((project) => (
                <Table.Tr key={project.id} data-project={project.name}>
                  <Table.Td>
                    <EntityLink kind="project" id={project.id} name={project.name} />
                  </Table.Td>
                  <Table.Td>{projectRoleLabel(project.role)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {projects.data.truncated && (
            <Text fz="sm" c="dimmed">
              Only the first {projects.data.items.length} are listed.
            </Text>
          )}
        </>
      )}
    </SettingsSection>
  );
}
