import { Button, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { LoadMore } from '../components/load-more';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { applicationsListOptions } from '../features/applications/applications-queries';
import { ApplicationsTable } from '../features/applications/applications-table';
import { RegisterApplicationDialog } from '../features/applications/register-application-dialog';
import { SettingsMenu } from '../features/navigation/settings-pages';
import { useSession } from '../features/session/session-context';

/** `/settings/applications`: the applications that sign people in through Roster (docs/product/console.md#applications). */
export function ApplicationsPage() {
  return (
    <>
      <PageHeader
        title="Applications"
        section="Settings"
        description="The platform's applications that sign people in through Roster with OpenID Connect."
      />
      <SettingsMenu />
      <RequireAbility ability="viewApplications">
        <ApplicationsList />
      </RequireAbility>
    </>
  );
}

function ApplicationsList() {
  const { abilities } = useSession();
  const [opened, dialog] = useDisclosure(false);
  const applications = useInfiniteQuery(applicationsListOptions);
  const items = applications.data?.pages.flatMap((page) => page.items) ?? [];
  const register = abilities.manageApplications ? <Button onClick={dialog.open}>Register application</Button> : null;

  return (
    <Stack gap="md" maw={1100}>
      {items.length > 0 && register !== null && <Group justify="flex-end">{register}</Group>}
      {applications.isPending ? (
        <PageLoader label="Loading applications…" />
      ) : applications.isError ? (
        <ErrorState title="Could not load the applications" error={applications.error} onRetry={() => void applications.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No applications yet" action={register}>
          Other applications of the platform sign people in through Roster: the CI server's web interface, dashboards, internal tools.
          People use one account, one password and one second factor for all of them, and removing a person from Roster signs them out of
          every one.
          {abilities.manageApplications ? ' Register the first one.' : ''}
        </EmptyState>
      ) : (
        <>
          <ApplicationsTable applications={items} />
          <LoadMore
            hasMore={applications.hasNextPage}
            loading={applications.isFetchingNextPage}
            onLoadMore={() => void applications.fetchNextPage()}
            shownLabel={`${items.length} ${items.length === 1 ? 'application' : 'applications'} shown`}
          />
        </>
      )}
      {abilities.manageApplications && <RegisterApplicationDialog opened={opened} onClose={dialog.close} />}
    </Stack>
  );
}
