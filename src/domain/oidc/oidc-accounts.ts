import { preparedAccessSubjectRows } from '../../storage/queries/access-subjects.js';
import { findApplicationByClientId } from '../../storage/queries/applications.js';
import { effectiveRoleName } from '../access/authorize.js';
import { accessSubjectFromRows, loadAccessSubject } from '../access/load-access-subject.js';
import { mayUseApplication } from '../access/policies/application-policy.js';
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

/** Eligibility read fresh from the database: the person and the application as they are now. */
export async function eligibleForApplication(services: Services, userId: string, clientId: string): Promise<boolean> {
  const [subject, application] = await Promise.all([
    loadAccessSubject(services.database, userId),
    findApplicationByClientId(services.database, clientId),
  ]);
  if (!application) return false;
  return subject !== null && mayUseApplication(subject, application);
}

/**
 * The provider's `findAccount`: undefined when the person may not use the application (removed, restricted, left its
 * groups), which makes a refresh fail with `invalid_grant`. `email_verified` is true only when an upstream identity
 * provider verified the address; Roster sends no mail, so an address typed by anyone here is unverified.
 */
export async function findOidcAccount(services: Services, userId: string, clientId: string | undefined) {
  // The person and their email in one prepared read (the subject's row carries the address), beside the application.
  const [rows, application] = await Promise.all([
    preparedAccessSubjectRows(services.database, { userId }),
    clientId ? findApplicationByClientId(services.database, clientId) : Promise.resolve(undefined),
  ]);
  const subject = accessSubjectFromRows(rows, false);
  const email = rows[0]?.email;
  if (!subject || email === undefined) return undefined;
  if (!mayUseApplication(subject, application ?? { restricted_to_groups: 0, allowedGroupIds: [] })) return undefined;
  const claims: RosterClaims = {
    sub: subject.userId,
    preferred_username: subject.username,
    name: subject.username,
    email,
    email_verified: false,
    roster_role: effectiveRoleName(subject),
    groups: subject.groups.map((group) => group.name),
  };
  return { accountId: subject.userId, claims: async () => claims };
}
