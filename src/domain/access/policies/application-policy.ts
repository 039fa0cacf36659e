import type { Permission } from '../../../shared/permissions.js';
import { type AccessSubject, can } from '../authorize.js';

/**
 * Who may do what to an application, the relying parties of Roster's OpenID Connect provider (SPEC §12.1, §12.3,
 * docs/product/api.md#applications):
 * - `organization.applications.view` reads them; `organization.applications.manage` registers, changes, removes them
 *   and rotates their secrets;
 * - *trust* is what hands an application power over people beyond signing them in: `firstParty` (no consent screen),
 *   `authorizeApi` (asks POST /authorize about anyone) and `rosterApi` (tokens Roster's own API accepts). Setting any
 *   of them needs `organization.applications.trust` (Owners), otherwise one registration could silently hand an
 *   Owner's power to an Admin's application;
 * - a *trusted* application (one of those flags set) is changed, removed and given a new secret by holders of trust
 *   only: a new secret of an `authorizeApi` application is that power, and a redirect URI added to a first-party one
 *   would collect Owners' sign-ins without a consent screen.
 */

const viewPermission: Permission = 'organization.applications.view';
const managePermission: Permission = 'organization.applications.manage';
const trustPermission: Permission = 'organization.applications.trust';

/** The flags that need `organization.applications.trust`. */
export interface TrustFlags {
  firstParty: boolean;
  authorizeApi: boolean;
  rosterApi: boolean;
}

export type ApplicationAction = 'update' | 'rotateSecret' | 'remove';

const actionPhrases: Record<ApplicationAction, string> = {
  update: 'change',
  rotateSecret: 'rotate the client secret of',
  remove: 'remove',
};

export function isTrusted(flags: TrustFlags): boolean {
  return flags.firstParty || flags.authorizeApi || flags.rosterApi;
}

export function canViewApplications(actor: AccessSubject | null): boolean {
  return can(actor, viewPermission);
}

export function canManageApplications(actor: AccessSubject | null): boolean {
  return can(actor, managePermission);
}

export function canTrustApplications(actor: AccessSubject | null): boolean {
  return can(actor, trustPermission);
}

export function whyCannotViewApplications(actor: AccessSubject): string | null {
  return canViewApplications(actor) ? null : `You need the ${viewPermission} permission to see applications.`;
}

/** Registering: the manage permission, and trust for any trusted flag asked for. */
export function whyCannotCreateApplication(actor: AccessSubject, flags: TrustFlags): string | null {
  if (!canManageApplications(actor)) return `You need the ${managePermission} permission to register applications.`;
  if (isTrusted(flags) && !canTrustApplications(actor)) {
    return `Only holders of ${trustPermission} (Owners) can make an application first-party, let it use the authorization API or give it the roster:api scope.`;
  }
  return null;
}

/** Changing, rotating or removing `current`: the manage permission, and trust when it is trusted. */
export function whyCannotManageApplication(actor: AccessSubject, current: TrustFlags, action: ApplicationAction): string | null {
  const phrase = actionPhrases[action];
  if (!canManageApplications(actor)) return `You need the ${managePermission} permission to ${phrase} applications.`;
  if (isTrusted(current) && !canTrustApplications(actor)) {
    return `Only holders of ${trustPermission} (Owners) can ${phrase} a first-party application or one with authorizeApi or roster:api.`;
  }
  return null;
}

/** A change from `current` to `next`: managing `current`, and trust to set any trusted flag on. */
export function whyCannotUpdateApplication(actor: AccessSubject, current: TrustFlags, next: TrustFlags): string | null {
  return whyCannotManageApplication(actor, current, 'update') ?? whyCannotCreateApplication(actor, next);
}

export interface ApplicationAbilities {
  edit: boolean;
  rotateSecret: boolean;
  remove: boolean;
  trust: boolean;
  reason: string | null;
}

/** What the console may offer for one application, decided here so that it never compares roles. */
export function applicationAbilities(actor: AccessSubject, application: TrustFlags & { confidential: boolean }): ApplicationAbilities {
  const reason = whyCannotManageApplication(actor, application, 'update');
  return {
    edit: reason === null,
    rotateSecret: reason === null && application.confidential,
    remove: reason === null,
    trust: canTrustApplications(actor),
    reason,
  };
}

/**
 * Whether `person` may sign in to (and keep tokens of) `application`: an active person, not a service account, and,
 * when the application is restricted to groups, a member of one of them. A restricted application whose groups were
 * all deleted lets nobody in. For the provider: at sign-in, at every refresh and at introspection (SPEC §12.1).
 */
export function mayUseApplication(
  person: AccessSubject,
  application: { restricted_to_groups: number; allowedGroupIds: readonly string[] },
): boolean {
  if (!person.active || person.type !== 'person') return false;
  if (application.restricted_to_groups !== 1) return true;
  return person.groups.some((group) => application.allowedGroupIds.includes(group.id));
}
