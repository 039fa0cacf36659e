import { Button, Group, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { LoadMore } from '../components/load-more';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { identityProvidersListOptions } from '../features/identity-providers/identity-providers-queries';
import { IdentityProvidersTable } from '../features/identity-providers/identity-providers-table';
import { RegisterIdentityProviderDialog } from '../features/identity-providers/register-identity-provider-dialog';
import { SettingsMenu } from '../features/navigation/settings-pages';

/** `/settings/identity-providers`: the company identity providers people log in with (docs/sso.md). Owners only. */
export function IdentityProvidersPage() {
  return (
    <>
      <PageHeader
        title="Identity providers"
        section="Settings"
        description="The company's identity providers people log in to Roster with: Keycloak, Entra ID, Okta, Google Workspace or any OpenID Connect provider."
      />
      <SettingsMenu />
      <RequireAbility ability="manageIdentityProviders">
        <IdentityProvidersList />
      </RequireAbility>
    </>
  );
}

function IdentityProvidersList() {
  const [opened, dialog] = useDisclosure(false);
  const providers = useInfiniteQuery(identityProvidersListOptions);
  const items = providers.data?.pages.flatMap((page) => page.items) ?? [];
  const register = <Button onClick={dialog.open}>Register provider</Button>;

  return (
    <Stack gap="md" maw={1100}>
      {items.length > 0 && <Group justify="flex-end">{register}</Group>}
      {providers.isPending ? (
        <PageLoader label="Loading identity providers…" />
      ) : providers.isError ? (
        <ErrorState title="Could not load the identity providers" error={providers.error} onRetry={() => void providers.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No identity providers yet" action={register}>
          People can log in with the identity provider the company already runs, be created at their first login, and get their Roster
          groups from it. Password login stays available. Register the first one.
        </EmptyState>
      ) : (
        <>
          <IdentityProvidersTable providers={items} />
          <LoadMore
            hasMore={providers.hasNextPage}
            loading={providers.isFetchingNextPage}
            onLoadMore={() => void providers.fetchNextPage()}
            shownLabel={`${items.length} ${items.length === 1 ? 'identity provider' : 'identity providers'} shown`}
          />
        </>
      )}
      <RegisterIdentityProviderDialog opened={opened} onClose={dialog.close} />
    </Stack>
  );
}
