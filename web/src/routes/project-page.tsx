import { Button, Stack, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import type { Project } from '../api/projects';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { PageTitle } from '../components/page-title';
import { ProjectPeopleTab } from '../features/projects/project-people-tab';
import { projectOptions } from '../features/projects/project-queries';
import { ProjectSettingsTab } from '../features/projects/project-settings-tab';

/** `/projects/<id>`: a project's People and Settings tabs (docs/product/console.md#projects). Unknown and invisible projects look alike. */
export function ProjectPage() {
  const { id = '' } = useParams();
  const project = useQuery(projectOptions(id));

  if (project.isPending) return <PageLoader label="Loading project…" />;
  if (project.isError) {
    if (isApiError(project.error, { status: 404 })) return <ProjectNotFound />;
    return (
      <>
        <PageTitle documentTitle="Project">Project</PageTitle>
        <ErrorState title="Could not load this project" error={project.error} onRetry={() => void project.refetch()} />
      </>
    );
  }
  return <ProjectView project={project.data} />;
}

function ProjectNotFound() {
  return (
    <Stack gap="lg">
      <PageTitle documentTitle="Project not found">Project not found</PageTitle>
      <EmptyState
        title="There is no such project, or you have no access to it"
        action={
          <Button component={Link} to="/projects" variant="default" mt="xs">
            Back to Projects
          </Button>
        }
      >
        Ask the project's owner or an Admin to give you access if you need it.
      </EmptyState>
    </Stack>
  );
}

const tabs = ['people', 'settings'] as const;

function ProjectView({ project }: { project: Project }) {
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab = tabs.find((name) => name === requested) ?? 'people';

  return (
    <>
      <PageHeader
        title={project.name}
        section="Projects"
        sectionTo="/projects"
        description={
          <Text span c="dimmed">
            {project.description === '' ? 'No description.' : project.description} · Owner: {project.owner.username}
          </Text>
        }
      />
      <Tabs
        value={tab}
        onChange={(next) => setParams(next === 'settings' ? { tab: 'settings' } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="lg" aria-label="Project sections">
          <Tabs.Tab value="people">People</Tabs.Tab>
          <Tabs.Tab value="settings">Settings</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="people">
          <ProjectPeopleTab project={project} />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <ProjectSettingsTab project={project} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
