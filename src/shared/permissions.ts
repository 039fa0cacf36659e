/**
 * The permission catalogue (docs/product/roles-and-permissions.md#permissions): the single source for enforcement, the
 * Roles page, `GET /api/v1/roles`, the CLI and the docs. A misspelt permission anywhere is a compile error.
 */
export const permissionCatalogue = [
  { name: 'organization.view', description: 'See the instance and its overview pages.' },
  { name: 'organization.delete', description: 'Delete the whole instance and all of its data.' },
  { name: 'organization.change_owner', description: 'Transfer ownership of the instance and grant or take away the Owner role.' },
  { name: 'organization.activity_monitor.view', description: 'See the activity monitor of running work.' },
  { name: 'organization.projects.create', description: 'Create new projects (the creator becomes their owner).' },
  { name: 'organization.people.view', description: 'See the People page: every account, its role, groups and status.' },
  { name: 'organization.people.invite', description: 'Create accounts with temporary passwords.' },
  { name: 'organization.people.manage', description: 'Change roles, reset passwords, unlock and remove people of a lower role.' },
  { name: 'organization.groups.view', description: 'See groups and their members.' },
  { name: 'organization.groups.manage', description: 'Create, rename and delete groups and change their members and roles.' },
  { name: 'organization.custom_roles.view', description: 'See the roles and the permissions each one grants.' },
  { name: 'organization.audit_logs.view', description: 'Read, filter, export and verify the audit log.' },
  { name: 'organization.audit_logs.manage', description: 'Manage audit log settings such as retention and streaming.' },
  { name: 'organization.service_accounts.view', description: 'See service accounts.' },
  { name: 'organization.service_accounts.manage', description: 'Create, change and remove service accounts and their tokens.' },
  { name: 'organization.general_settings.view', description: 'See the instance settings.' },
  { name: 'organization.general_settings.manage', description: 'Change the instance settings.' },
  {
    name: 'organization.instance_git_integration.manage',
    description: 'Connect and configure the instance-wide Git provider integration.',
  },
  { name: 'organization.self_hosted_agents.view', description: 'See self-hosted agent types and agents.' },
  { name: 'organization.self_hosted_agents.manage', description: 'Register, change and remove self-hosted agents.' },
  { name: 'organization.secrets.view', description: 'See instance-level secrets (names and metadata).' },
  { name: 'organization.secrets.manage', description: 'Create, change and delete instance-level secrets.' },
  { name: 'organization.notifications.view', description: 'See notification rules.' },
  { name: 'organization.notifications.manage', description: 'Create, change and delete notification rules.' },
  { name: 'organization.pre_flight_checks.view', description: 'See pre-flight checks.' },
  { name: 'organization.pre_flight_checks.manage', description: 'Change pre-flight checks.' },
  { name: 'organization.dashboards.view', description: 'See dashboards.' },
  { name: 'organization.dashboards.manage', description: 'Create, change and delete dashboards.' },
  { name: 'organization.metrics.view', description: 'Scrape /metrics with a bearer token from outside ROSTER_METRICS_ALLOW.' },
  {
    name: 'organization.applications.view',
    description: 'See the applications that sign people in through Roster (OpenID Connect clients).',
  },
  {
    name: 'organization.applications.manage',
    description: 'Register, change and remove third-party sign-in applications and rotate their client secrets.',
  },
  {
    name: 'organization.applications.trust',
    description: 'Make an application first-party (no consent screen), let it ask the authorization API, or give it the roster:api scope.',
  },
  {
    name: 'organization.identity_providers.manage',
    description: 'Register, change, test and remove the identity providers people log in with (single sign-on), and map their groups.',
  },
  {
    name: 'organization.security_settings.manage',
    description: 'See and change Settings → Security: who must use two-factor authentication, and the grace period.',
  },
  { name: 'project.view', description: 'See the project and its pipelines.' },
  { name: 'project.delete', description: 'Delete the project.' },
  { name: 'project.access.view', description: 'See who has access to the project and with which role.' },
  { name: 'project.access.manage', description: 'Give, change and take away access to the project.' },
  { name: 'project.general_settings.view', description: 'See the project settings.' },
  { name: 'project.general_settings.manage', description: 'Change the project settings and transfer its ownership.' },
  { name: 'project.repository_info.view', description: 'See the connected repository.' },
  { name: 'project.repository_info.manage', description: 'Change the connected repository.' },
  { name: 'project.secrets.view', description: 'See project secrets (names and metadata).' },
  { name: 'project.secrets.manage', description: 'Create, change and delete project secrets.' },
  { name: 'project.notifications.view', description: 'See project notification rules.' },
  { name: 'project.notifications.manage', description: 'Change project notification rules.' },
  { name: 'project.artifacts.view', description: 'Download artifacts.' },
  { name: 'project.artifacts.delete', description: 'Delete artifacts.' },
  { name: 'project.artifacts.view_settings', description: 'See artifact retention settings.' },
  { name: 'project.artifacts.modify_settings', description: 'Change artifact retention settings.' },
  { name: 'project.scheduler.view', description: 'See scheduled tasks.' },
  { name: 'project.scheduler.manage', description: 'Create, change and delete scheduled tasks.' },
  { name: 'project.scheduler.run_manually', description: 'Run a scheduled task now.' },
  { name: 'project.workflow.manage', description: 'Start and manage workflows.' },
  { name: 'project.job.rerun', description: 'Rerun jobs.' },
  { name: 'project.job.stop', description: 'Stop running jobs.' },
  { name: 'project.job.attach', description: 'Attach to a running job with a debug session.' },
] as const;

export type Permission = (typeof permissionCatalogue)[number]['name'];
export type PermissionScope = 'organization' | 'project';
export type OrganizationPermission = Extract<Permission, `organization.${string}`>;
export type ProjectPermission = Extract<Permission, `project.${string}`>;

export const allPermissions: readonly Permission[] = permissionCatalogue.map((entry) => entry.name);

export function permissionScope(permission: Permission): PermissionScope {
  return permission.startsWith('project.') ? 'project' : 'organization';
}

/** Instance roles, highest first. The order is the "strictly lower" of rule R2. */
export const organizationRoleIds = ['owner', 'admin', 'member'] as const;
export type OrganizationRole = (typeof organizationRoleIds)[number];

/** Project roles, highest first. */
export const projectRoleIds = ['admin', 'contributor', 'reader'] as const;
export type ProjectRole = (typeof projectRoleIds)[number];

/** Instance roles a group can give its members: every role but Owner (Owner is only ever a person's own role, R1). */
export type GroupRole = Exclude<OrganizationRole, 'owner'>;
export const groupRoleIds: readonly GroupRole[] = organizationRoleIds.filter((role): role is GroupRole => role !== 'owner');

/** The roles a service account may hold: never Owner (docs/product/service-accounts.md). */
export type ServiceAccountRole = Exclude<OrganizationRole, 'owner'>;
export const serviceAccountRoleIds: readonly ServiceAccountRole[] = organizationRoleIds.filter(
  (role): role is ServiceAccountRole => role !== 'owner',
);

/** "a, b or c": a list of choices for a message. */
export function choiceList(choices: readonly string[]): string {
  return choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : (choices[0] ?? '');
}

interface RoleDefinition<P extends Permission> {
  /** Unique across scopes; used in URLs (`/settings/roles/<id>`, `GET /roles/:id`). */
  id: string;
  key: string;
  name: string;
  scope: PermissionScope;
  description: string;
  permissions: readonly P[];
}

const memberPermissions = [
  'organization.view',
  'organization.activity_monitor.view',
  'organization.projects.create',
  'organization.groups.view',
  'organization.self_hosted_agents.view',
  'organization.self_hosted_agents.manage',
  'organization.secrets.view',
  'organization.secrets.manage',
  'organization.notifications.view',
  'organization.notifications.manage',
  'organization.dashboards.view',
  'organization.dashboards.manage',
] as const satisfies readonly OrganizationPermission[];

const adminPermissions = [
  ...memberPermissions,
  'organization.people.view',
  'organization.people.invite',
  'organization.people.manage',
  'organization.groups.manage',
  'organization.custom_roles.view',
  'organization.audit_logs.view',
  'organization.service_accounts.view',
  'organization.service_accounts.manage',
  'organization.general_settings.view',
  'organization.general_settings.manage',
  'organization.instance_git_integration.manage',
  'organization.pre_flight_checks.view',
  'organization.pre_flight_checks.manage',
  'organization.applications.view',
  'organization.applications.manage',
] as const satisfies readonly OrganizationPermission[];

const ownerPermissions = [
  ...adminPermissions,
  'organization.applications.trust',
  'organization.delete',
  'organization.change_owner',
  'organization.audit_logs.manage',
  'organization.metrics.view',
  'organization.identity_providers.manage',
  'organization.security_settings.manage',
] as const satisfies readonly OrganizationPermission[];

const readerPermissions = [
  'project.view',
  'project.access.view',
  'project.general_settings.view',
  'project.repository_info.view',
  'project.notifications.view',
  'project.artifacts.view',
  'project.artifacts.view_settings',
  'project.scheduler.view',
] as const satisfies readonly ProjectPermission[];

const contributorPermissions = [
  ...readerPermissions,
  'project.secrets.view',
  'project.secrets.manage',
  'project.notifications.manage',
  'project.artifacts.delete',
  'project.scheduler.manage',
  'project.scheduler.run_manually',
  'project.workflow.manage',
  'project.job.rerun',
  'project.job.stop',
  'project.job.attach',
] as const satisfies readonly ProjectPermission[];

const projectAdminPermissions = [
  ...contributorPermissions,
  'project.delete',
  'project.access.manage',
  'project.general_settings.manage',
  'project.repository_info.manage',
  'project.artifacts.modify_settings',
] as const satisfies readonly ProjectPermission[];

export const organizationRoles: Record<OrganizationRole, RoleDefinition<OrganizationPermission>> = {
  owner: {
    id: 'owner',
    key: 'owner',
    name: 'Owner',
    scope: 'organization',
    description:
      'Can do everything, including transferring ownership and deleting the instance. The last Owner cannot be demoted or removed.',
    permissions: ownerPermissions,
  },
  admin: {
    id: 'admin',
    key: 'admin',
    name: 'Admin',
    scope: 'organization',
    description:
      'Manages people, groups, settings and every project, but cannot grant or take away the Owner role, act on Owners or delete the instance.',
    permissions: adminPermissions,
  },
  member: {
    id: 'member',
    key: 'member',
    name: 'Member',
    scope: 'organization',
    description: 'The default role for new accounts: works in the projects they were given access to and changes no instance settings.',
    permissions: memberPermissions,
  },
};

export const projectRoles: Record<ProjectRole, RoleDefinition<ProjectPermission>> = {
  admin: {
    id: 'project-admin',
    key: 'admin',
    name: 'Admin',
    scope: 'project',
    description: 'Full control of the project: its settings, access, secrets, deletion and every pipeline action.',
    permissions: projectAdminPermissions,
  },
  contributor: {
    id: 'project-contributor',
    key: 'contributor',
    name: 'Contributor',
    scope: 'project',
    description: 'Runs and manages workflows, jobs, schedules, secrets and artifacts, but cannot change settings or access.',
    permissions: contributorPermissions,
  },
  reader: {
    id: 'project-reader',
    key: 'reader',
    name: 'Reader',
    scope: 'project',
    description: 'Sees the project, its settings, schedules and artifacts, and changes nothing.',
    permissions: readerPermissions,
  },
};

export type AnyRoleDefinition = RoleDefinition<Permission>;

/** Every predefined role, organization roles first, each scope highest first. */
export const predefinedRoles: readonly AnyRoleDefinition[] = [
  ...organizationRoleIds.map((id) => organizationRoles[id]),
  ...projectRoleIds.map((id) => projectRoles[id]),
];

/**
 * Project roles that follow from something other than a grant (docs/product/roles-and-permissions.md#project-permissions):
 * the owner of a project holds `projectOwnerRole` on it, and whoever's effective instance role is R holds
 * `everyProjectRoleOf[R]` on every project (null: none).
 */
export const projectOwnerRole: ProjectRole = 'admin';
export const everyProjectRoleOf: Readonly<Record<OrganizationRole, ProjectRole | null>> = { owner: 'admin', admin: 'admin', member: null };

/** The project roles whose permissions include `permission`, highest first. */
export function projectRolesWith(permission: ProjectPermission): ProjectRole[] {
  return projectRoleIds.filter((role) => (projectRoles[role].permissions as readonly Permission[]).includes(permission));
}

/** The instance roles that give their holders `projectRole` (or a higher one) on every project, highest first. */
export function organizationRolesGivingEveryProject(projectRole: ProjectRole): OrganizationRole[] {
  return organizationRoleIds.filter((role) => {
    const given = everyProjectRoleOf[role];
    return given !== null && projectRoleRank(given) >= projectRoleRank(projectRole);
  });
}

/** Rank for "strictly lower" comparisons: a higher number is a higher role. */
export function organizationRoleRank(role: OrganizationRole): number {
  return organizationRoleIds.length - organizationRoleIds.indexOf(role);
}

export function projectRoleRank(role: ProjectRole): number {
  return projectRoleIds.length - projectRoleIds.indexOf(role);
}

export function isOrganizationRole(value: string): value is OrganizationRole {
  return (organizationRoleIds as readonly string[]).includes(value);
}
