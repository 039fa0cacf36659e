import type { Application } from '../../shared/api/applications.js';
import type { Executor } from '../../storage/database.js';
import { type ApplicationListRow, allowedGroupsOfApplications, findApplicationRow } from '../../storage/queries/applications.js';
import type { AccessSubject } from '../access/authorize.js';
import { applicationAbilities } from '../access/policies/application-policy.js';
import { DomainError } from '../errors.js';
import { previousSecretOverlapMs } from './client-secret.js';

/** A JSON array of strings as stored (URIs, scopes). */
export function parseStringList(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((value): value is string => typeof value === 'string') : [];
}

/** The trust flags of a row, as the policy reads them. */
export function trustFlagsOf(row: { first_party: number; authorize_api: number; roster_api: number }) {
  return { firstParty: row.first_party === 1, authorizeApi: row.authorize_api === 1, rosterApi: row.roster_api === 1 };
}

/**
 * An application as the API answers it: never a digest. The last rotation is the previous secret's expiry minus the
 * overlap (the expiry is kept after it passes, so the time of the rotation stays known).
 */
export function presentApplication(
  row: ApplicationListRow,
  allowedGroups: Array<{ id: string; name: string }> | undefined,
  actor: AccessSubject,
  now: Date,
): Application {
  const flags = trustFlagsOf(row);
  const previousExpiry = row.previous_secret_expires_at;
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    type: row.type,
    redirectUris: parseStringList(row.redirect_uris),
    postLogoutRedirectUris: parseStringList(row.post_logout_redirect_uris),
    ...flags,
    allowedGroups: row.restricted_to_groups === 1 ? (allowedGroups ?? []) : null,
    secretRotatedAt: previousExpiry === null ? null : new Date(Date.parse(previousExpiry) - previousSecretOverlapMs).toISOString(),
    previousSecretExpiresAt:
      previousExpiry !== null && row.previous_secret_digest !== null && Date.parse(previousExpiry) > now.getTime() ? previousExpiry : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by !== null && row.created_by_name !== null ? { id: row.created_by, username: row.created_by_name } : null,
    abilities: applicationAbilities(actor, { ...flags, confidential: row.type === 'confidential' }),
  };
}

/** One application as the API answers it, read after the write that changed it; 404 for an unknown id. */
export async function describeApplication(db: Executor, actor: AccessSubject, id: string, now: Date): Promise<Application> {
  const row = await findApplicationRow(db, id);
  if (!row) throw new DomainError('not_found', 'No application has this id.');
  const groups = await allowedGroupsOfApplications(db, [id]);
  return presentApplication(row, groups.get(id), actor, now);
}
