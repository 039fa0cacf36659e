import { Paper, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Project } from '../../api/projects';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadMore } from '../../components/load-more';
import { PageLoader } from '../../components/page-loader';
import { ExplainAccessPanel } from '../people/explain-access-panel';
import { PersonPicker, type PickedPerson } from '../people/person-picker';
import { useSession } from '../session/session-context';
import { AccessTable } from './access-table';
import { AddAccessForm } from './add-access-form';
import { projectAccessOptions } from './project-queries';

/**
 * The project's People tab (docs/product/console.md#projects, docs/product/console.md#explain-access): who has access,
 * changes to it, and "Why can … ?" on this project.
 */
export function ProjectPeopleTab({ project }: { project: Project }) {
  const me = useSession();
  const access = useInfiniteQuery({ ...projectAccessOptions(project.id), enabled: project.abilities.viewAccess });
  const firstPage = access.data?.pages[0];
  const entries = access.data?.pages.flatMap((page) => page.items) ?? [];
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
              {!me.abilities.viewPeople && " The server's Owners and Admins are not listed here."}
            </Text>
          </div>
          {firstPage?.abilities.manage && <AddAccessForm projectId={project.id} />}
          {access.isError ? (
            <ErrorState title="Could not load who has access" error={access.error} onRetry={() => void access.refetch()} />
          ) : access.isPending || !firstPage ? (
            <PageLoader label="Loading access…" />
          ) : (
            <>
              <AccessTable
                projectId={project.id}
                entries={entries}
                canManage={firstPage.abilities.manage}
                linkPeople={me.abilities.viewPeople}
              />
              {(access.hasNextPage || entries.length > 50) && (
                <LoadMore
                  hasMore={access.hasNextPage}
                  loading={access.isFetchingNextPage}
                  onLoadMore={() => void access.fetchNextPage()}
                  shownLabel={`${entries.length} shown`}
                />
              )}
            </>
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
