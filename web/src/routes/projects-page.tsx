import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../components/empty-state';
import { EntityLink } from '../components/entity-link';
import { ErrorState } from '../components/error-state';
import { IconPlus, IconProjects } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RelativeTime } from '../components/relative-time';
import { RequireAbility } from '../components/require-ability';
import { NewProjectDialog } from '../features/projects/new-project-dialog';
import { projectListOptions } from '../features/projects/project-queries';
import { useSession } from '../features/session/session-context';

/** `/projects`: projects the caller can see and who may work on them (docs/product/console.md#projects). */
export function ProjectsPage() {
  return (
    <>
      <PageHeader title="Projects" description="Projects you can see, their owners and who may work on them." />
      <RequireAbility ability="viewProjects">
        <ProjectList />
      </RequireAbility>
    </>
  );
}

function ProjectList() {
  const { abilities } = useSession();
  const [creating, setCreating] = useState(false);
  const projects = useInfiniteQuery(projectListOptions());
  const items = projects.data?.pages.flatMap((page) => page.items) ?? [];
  const newProject = abilities.createProjects && (
    <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
      New project
    </Button>
  );

  return (
    <Stack gap="lg">
      <Paper withBorder component="section" aria-labelledby="projects-heading">
        <Group justify="space-between" px="lg" py="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <Group gap="xs">
            <IconProjects size={20} />
            <Title order={2} fz="lg" id="projects-heading">
              Projects
            </Title>
          </Group>
          {newProject}
        </Group>
        {projects.isError && items.length === 0 ? (
          <ErrorState title="Could not load projects" error={projects.error} onRetry={() => void projects.refetch()} />
        ) : projects.isPending ? (
          <PageLoader label="Loading projects…" />
        ) : items.length === 0 ? (
          <EmptyState title="No projects yet">
            {abilities.createProjects
              ? 'Create the first one with New project; you become its owner.'
              : 'Nobody has given you access to a project yet.'}
          </EmptyState>
        ) : (
          <Table verticalSpacing="sm" highlightOnHover aria-label="Projects">
            <Table.Thead>
              <Table.Tr>
                <Table.Th pl="lg">Project</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th visibleFrom="sm">Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((project) => (
                <Table.Tr key={project.id}>
                  <Table.Td pl="lg" maw={{ base: 200, sm: 'none' }}>
                    <EntityLink kind="project" id={project.id} name={project.name} />
                    {project.description !== '' && (
                      <Text fz="sm" c="dimmed" lineClamp={2}>
                        {project.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {abilities.viewPeople ? (
                      <EntityLink kind="person" id={project.owner.username} name={project.owner.username} />
                    ) : (
                      <Text fz="sm">{project.owner.username}</Text>
                    )}
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <RelativeTime value={project.createdAt} fz="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {projects.hasNextPage && (
          <Group justify="center" p="md" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
            <Button variant="default" onClick={() => void projects.fetchNextPage()} loading={projects.isFetchingNextPage}>
              Load more
            </Button>
          </Group>
        )}
      </Paper>
      <NewProjectDialog opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
