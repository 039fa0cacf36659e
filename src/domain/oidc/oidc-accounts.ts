import { findApplicationForProvider } from '../../storage/queries/oidc-provider-state.js';
import { findUser } from '../../storage/queries/users.js';
import { type AccessSubject, effectiveRoleName } from '../access/authorize.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import type { Services } from '../context.js';

/** The claims Roster asserts about a person (docs/oidc.md#claims). */
export interface RosterClaims {
  sub: string;
  preferred_username: string;
  name: string;
  email: string;
  email_verified: boolean;
  roster_role: string;
  groups: string[];
  [claim: string]: unknown;
}

/** Which claims each scope releases. */
export const claimsByScope = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
  roster: ['roster_role', 'groups'],
} as const;

/**
 * May this person sign in to this application now? Active people only (never a service account: it has a token, not
 * a login), and for an application restricted to groups, members of one of them. Asked at the login step, at every
 * refresh and at every introspection (docs/oidc.md#lifecycle).
 */
export function mayUseApplication(subject: AccessSubject | null, allowed: { restricted: boolean; groupIds: readonly string[] }): boolean {
  if (!subject?.active || subject.type !== 'person' || subject.restricted) return false;
  if (!allowed.restricted) return true;
  return subject.groups.some((group) => allowed.groupIds.includes(group.id));
}

/** Eligibility read fresh from the database: the person and the application as they are now. */
export async function eligibleForApplication(services: Services, userId: string, clientId: string): Promise<boolean> {
  const [subject, application] = await Promise.all([
    loadAccessSubject(services.database, userId),
    findApplicationForProvider(services.database.db, clientId),
  ]);
  if (!application) return false;
  return mayUseApplication(subject, { restricted: application.restricted_to_groups === 1, groupIds: application.allowedGroupIds });
}

/**
 * The provider's `findAccount`: undefined when the person may not use the application (removed, restricted, left its
 * groups), which makes a refresh fail with `invalid_grant`. `email_verified` is true only when an upstream identity
 * provider verified the address; Roster sends no mail, so an address typed by anyone here is unverified.
 */
export async function findOidcAccount(services: Services, userId: string, clientId: string | undefined) {
  const [subject, user, application] = await Promise.all([
    loadAccessSubject(services.database, userId),
    findUser(services.database.db, userId),
    clientId ? findApplicationForProvider(services.database.db, clientId) : Promise.resolve(undefined),
  ]);
  if (!subject || !user) return undefined;
  const allowed = application
    ? { restricted: application.restricted_to_groups === 1, groupIds: application.allowedGroupIds }
    : { restricted: false, groupIds: [] };
  if (!mayUseApplication(subject, allowed)) return undefined;
  const claims: RosterClaims = {
    sub: subject.userId,
    preferred_username: subject.username,
    name: subject.username,
    email: user.email,
    email_verified: false,
    roster_role: effectiveRoleName(subject),
    groups: subject.groups.map((group) => group.name),
  };
  return { accountId: subject.userId, claims: async () => claims };
}
