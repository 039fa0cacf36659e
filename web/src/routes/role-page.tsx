import { Alert, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useParams } from 'react-router';
import { isApiError } from '../api/client';
import { ErrorState } from '../components/error-state';
import { IconLock } from '../components/icons';
import { NoAccess } from '../components/no-access';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { ReadOnlyFields } from '../components/read-only-fields';
import { PermissionList } from '../features/roles/permission-list';
import { permissionsQueryOptions, roleQueryOptions } from '../features/roles/roles-queries';
import { useSession } from '../features/session/session-context';

/** `/settings/roles/<role id>`: one predefined role, read-only, with every permission of its scope (docs/product/console.md#roles). */
export function RolePage() {
  const { abilities } = useSession();
  if (!abilities.viewRoles) {
    return (
      <>
        <PageHeader title="Role" section="Settings › Roles" />
        <NoAccess />
      </>
    );
  }
  return <RoleDetails />;
}

function RoleDetails() {
  const { roleId = '' } = useParams();
  const role = useQuery(roleQueryOptions(roleId));
  const scope = role.data?.scope;
  const permissions = useQuery({ ...permissionsQueryOptions(scope ?? 'organization'), enabled: scope !== undefined });
  const granted = useMemo(() => new Set(role.data?.permissions ?? []), [role.data]);

  if (role.isError) {
    const missing = isApiError(role.error, { status: 404 });
    return (
      <>
        <PageHeader title="Role" section="Settings › Roles" sectionTo="/settings/roles" />
        <ErrorState
          title={missing ? 'There is no such role' : 'Could not load the role'}
          error={role.error}
          onRetry={missing ? undefined : () => void role.refetch()}
        />
      </>
    );
  }
  if (role.isPending) return <PageLoader label="Loading the role…" />;
  const scopeLabel = role.data.scope === 'organization' ? 'Organization role' : 'Project role';

  return (
    <Stack gap="lg" maw={960}>
      <PageHeader
        title={role.data.name}
        section="Settings › Roles"
        sectionTo="/settings/roles"
        description={`${scopeLabel} · ${role.data.permissions.length} permissions`}
      />
      <Alert color="gray" variant="light" icon={<IconLock />} title="Predefined role">
        Predefined roles cannot be changed or deleted. This page shows exactly what the role allows.
      </Alert>
      {/* Read-only shown as text, not as inputs that look editable (issue 17 item 8). */}
      <ReadOnlyFields
        maw={640}
        fields={[
          { label: 'Name', value: role.data.name },
          { label: 'Description', value: role.data.description },
        ]}
      />
      {permissions.isPending ? (
        <PageLoader label="Loading permissions…" />
      ) : permissions.isError ? (
        <ErrorState title="Could not load the permissions" error={permissions.error} onRetry={() => void permissions.refetch()} />
      ) : (
        <PermissionList permissions={permissions.data} granted={granted} />
      )}
    </Stack>
  );
}
