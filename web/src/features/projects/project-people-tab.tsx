import { Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Project } from '../../api/projects';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { PageLoader } from '../../components/page-loader';
import { ExplainAccessPanel } from '../people/explain-access-panel';
import { PersonPicker, type PickedPerson } from '../people/person-picker';
import { useSession } from '../session/session-context';
import { AccessTable } from './access-table';
import { AddAccessForm } from './add-access-form';
import { projectAccessOptions } from './project-queries';

/** The project's People tab (SPEC §4.5, §4.8): who has access, changes to it, and "Why can … ?" on this project. */
export function ProjectPeopleTab({ project }: { project: Project }) {
  const me = useSession();
  const access = useQuery({ ...projectAccessOptions(project.id), enabled: project.abilities.viewAccess });
  const [subject, setSubject] = useState<PickedPerson | null>(null);
  const canAskAboutOthers = me.abilities.viewPeople;

  if (!project.abilities.viewAccess) {
    return (
      <EmptyState title="You cannot see who has access">
        Seeing the people of a project needs the project.access.view permission.
      </EmptyState>
    );
  }

  return (
    <Stack gap="lg">
      <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="access-heading">
        <Stack gap="md">
          <div>
            <Title order={2} fz="lg" id="access-heading">
              People with access
            </Title>
            <Text fz="sm" c="dimmed">
              Owners and Admins of this server, and the project's owner, are project Admins implicitly.
            </Text>
          </div>
          {access.data?.abilities.manage && <AddAccessForm projectId={project.id} />}
          {access.isError ? (
            <ErrorState title="Could not load who has access" error={access.error} onRetry={() => void access.refetch()} />
          ) : access.isPending ? (
            <PageLoader label="Loading access…" />
          ) : (
            <AccessTable
              projectId={project.id}
              entries={access.data.items}
              canManage={access.data.abilities.manage}
              linkPeople={me.abilities.viewPeople}
            />
          )}
        </Stack>
      </Paper>
      <ExplainAccessPanel
        project={{ id: project.id, name: project.name }}
        scopes={['project']}
        subject={
          canAskAboutOthers ? subject && { id: subject.id, username: subject.username } : { id: me.user.id, username: me.user.username }
        }
        subjectPicker={canAskAboutOthers ? <PersonPicker label="Person" value={subject} onChange={setSubject} /> : undefined}
      />
    </Stack>
  );
}
