import type { Abilities } from '../../shared/api/me.js';
import { defaultTokenExpiryDays } from '../../shared/api/service-accounts.js';
import type { OrganizationRole, Permission } from '../../shared/permissions.js';
import { type MeRow, preparedMeRows } from '../../storage/queries/access-subjects.js';
import { type AccessSubject, can, effectiveRoleName, instancePermissions } from '../access/authorize.js';
import { canManageApplications, canTrustApplications, canViewApplications } from '../access/policies/application-policy.js';
import { canManageIdentityProviders } from '../access/policies/identity-provider-policy.js';
import { whyCannotCreateServiceAccount } from '../access/policies/service-account-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { presentUser, type UserView } from '../people/present-user.js';
import { reauthenticatedUntil } from '../sso/reauthenticate.js';

export type { MeRow };

export interface MeView {
  user: UserView;
  effectiveRole: OrganizationRole;
  permissions: Permission[];
  abilities: Abilities;
  token: { prefix: string; createdAt: string; lastUsedAt: string | null } | null;
  /** False for a person created by SSO (docs/sso.md#confirming-its-you-without-a-password). */
  hasPassword: boolean;
  reauthenticatedUntil: string | null;
}

/** What the console needs to know about the caller: the server decides abilities, the UI only reads them. */
export function abilitiesOf(subject: AccessSubject): Abilities {
  return {
    viewPeople: can(subject, 'organization.people.view'),
    managePeople: can(subject, 'organization.people.manage'),
    viewProjects: can(subject, 'organization.view'),
    createProjects: can(subject, 'organization.projects.create'),
    viewGroups: can(subject, 'organization.groups.view'),
    manageGroups: can(subject, 'organization.groups.manage'),
    viewAuditLog: can(subject, 'organization.audit_logs.view'),
    viewRoles: can(subject, 'organization.custom_roles.view'),
    viewServiceAccounts: can(subject, 'organization.service_accounts.view'),
    manageServiceAccounts: can(subject, 'organization.service_accounts.manage'),
    // The service-account policy decides (Owners only): the create dialog offers Admin and "never" accordingly.
    createAdminServiceAccounts: whyCannotCreateServiceAccount(subject, 'admin', defaultTokenExpiryDays) === null,
    createNeverExpiringServiceAccountTokens: whyCannotCreateServiceAccount(subject, 'member', null) === null,
    manageSecuritySettings: can(subject, 'organization.security_settings.manage'),
    // The application policy decides: trust (first-party, authorizeApi, roster:api) is an Owner's.
    viewApplications: canViewApplications(subject),
    manageApplications: canManageApplications(subject),
    trustApplications: canTrustApplications(subject),
    manageIdentityProviders: canManageIdentityProviders(subject),
  };
}

/**
 * `/me`. `account` is the caller's row when this request has already read it (a bearer token's lookup does, in the
 * same query as the roles); otherwise it is read here.
 */
export async function describeMe(ctx: OperationContext, account?: MeRow): Promise<MeView> {
  const subject = callerSubject(ctx);
  const row = account ?? (await preparedMeRows(ctx.database, { userId: subject.userId }))[0];
  if (!row) throw new DomainError('unauthenticated');
  return {
    user: presentUser(row),
    effectiveRole: effectiveRoleName(subject),
    permissions: instancePermissions(subject),
    abilities: abilitiesOf(subject),
    token:
      row.token_prefix !== null && row.token_created_at !== null
        ? { prefix: row.token_prefix, createdAt: row.token_created_at, lastUsedAt: row.token_last_used_at }
        : null,
    hasPassword: Boolean(row.has_password),
    reauthenticatedUntil: (await reauthenticatedUntil(ctx, subject.userId))?.toISOString() ?? null,
  };
}
