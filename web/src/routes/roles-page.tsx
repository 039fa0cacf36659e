import { Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { RoleView } from '../api/roles';
import { ErrorState } from '../components/error-state';
import { IconProjects, IconRoles } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { SettingsMenu } from '../features/navigation/settings-pages';
import { RoleCard } from '../features/roles/role-card';
import { rolesQueryOptions } from '../features/roles/roles-queries';

/** `/settings/roles`: the predefined organization and project roles (docs/product/console.md#roles). */
export function RolesPage() {
  return (
    <>
      <PageHeader title="Roles" section="Settings" description="View the roles available on this server and what each one allows." />
      <SettingsMenu />
      <RequireAbility ability="viewRoles">
        <RoleSections />
      </RequireAbility>
    </>
  );
}

function RoleSections() {
  const roles = useQuery(rolesQueryOptions);
  if (roles.isPending) return <PageLoader label="Loading roles…" />;
  if (roles.isError) return <ErrorState title="Could not load the roles" error={roles.error} onRetry={() => void roles.refetch()} />;
  const byScope = (scope: RoleView['scope']) => roles.data.filter((role) => role.scope === scope);
  return (
    <Stack gap={40} maw={960}>
      <RoleSection
        id="organization-roles"
        icon={<IconRoles size={22} />}
        title="Organization Roles"
        description="Roles at the server level. They decide what people can do across this server: manage people, groups, settings and every project."
        roles={byScope('organization')}
      />
      <RoleSection
        id="project-roles"
        icon={<IconProjects size={22} />}
        title="Project Roles"
        description="Roles within one project. They decide what a person or a group given access to a project can do in it."
        roles={byScope('project')}
      />
      <Text size="sm" c="dimmed">
        Predefined roles cannot be changed. A person's access is the highest of their own role and the roles of their groups.
      </Text>
    </Stack>
  );
}

interface RoleSectionProps {
  id: string;
  icon: ReactNode;
  title: string;
  description: string;
  roles: RoleView[];
}

function RoleSection({ id, icon, title, description, roles }: RoleSectionProps) {
  return (
    <section aria-labelledby={id}>
      <Title order={2} fz="h3" id={id} style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
        {icon}
        {title}
      </Title>
      <Text c="dimmed" mt={4} mb="md">
        {description}
      </Text>
      <Stack component="ul" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {roles.map((role) => (
          <RoleCard key={role.id} role={role} />
        ))}
      </Stack>
    </section>
  );
}
