import { maxIdentityProviderLabelLength } from '../../shared/api/identity-providers.js';
import type { FieldError } from '../../shared/errors.js';
import type { Executor } from '../../storage/database.js';
import { type MappableGroup, mappableGroups } from '../../storage/queries/identity-providers.js';
import { DomainError } from '../errors.js';

/**
 * What an identity provider's fields must be (SPEC §12.2, docs/sso.md), checked before anything is written; every
 * broken rule is one field error of 400 `validation_failed`.
 */

/** Hosts on which a plain-http issuer is allowed: the loopback interface (a provider started by a test). */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `issuer` is plain http on loopback: the only case where discovery may use http. */
export function isLoopbackHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && loopbackHosts.has(issuer.hostname);
}

/** Why `issuer` cannot be an issuer, or null. */
export function issuerViolation(issuer: string): string | null {
  if (/\s/.test(issuer)) return 'An issuer may not contain spaces or control characters.';
  let parsed: URL;
  try {
    parsed = new URL(issuer);
  } catch {
    return 'An issuer must be an absolute URL such as https://login.example.com/realms/company.';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'An issuer may not carry a user name or password.';
  if (parsed.search !== '' || parsed.hash !== '' || issuer.includes('#') || issuer.includes('?')) {
    return 'An issuer has no query or fragment (OpenID Connect Discovery §2).';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:') {
    return isLoopbackHttp(parsed) ? null : 'Plain http is allowed only on localhost, 127.0.0.1 or [::1] (tests); use https.';
  }
  return 'An issuer must use https.';
}

export interface IdentityProviderFields {
  label: string;
  issuer: string;
  scopes: readonly string[];
}

/** Throws 400 `validation_failed` listing every broken rule of the fields a provider would have. */
export function assertValidIdentityProvider(fields: IdentityProviderFields): void {
  const errors: FieldError[] = [];
  if (fields.label.length < 1 || fields.label.length > maxIdentityProviderLabelLength) {
    errors.push({ field: '/label', message: `Give the provider a button label of 1 to ${maxIdentityProviderLabelLength} characters.` });
  }
  const issuer = issuerViolation(fields.issuer);
  if (issuer) errors.push({ field: '/issuer', message: issuer });
  if (!fields.scopes.includes('openid')) errors.push({ field: '/scopes', message: 'The scopes must include openid.' });
  if (errors.length > 0) throw new DomainError('validation_failed', errors.map((error) => error.message).join(' '), { errors });
}

/** A label as stored: trimmed. */
export function normalizeLabel(label: string): string {
  return label.trim();
}

/** Scopes as stored: without repeats, in the order given. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)];
}

export interface ResolvedMapping {
  value: string;
  groupId: string;
}

/**
 * The mappings as given, without repeats, once every group exists (400 `validation_failed` naming the unknown ones),
 * with the groups they point at (for the policy's rule on groups that carry access).
 */
export async function resolveGroupMappings(
  db: Executor,
  mappings: ReadonlyArray<{ value: string; groupId: string }>,
): Promise<{ mappings: ResolvedMapping[]; groups: Map<string, MappableGroup> }> {
  const groups = await mappableGroups(db, [...new Set(mappings.map((m) => m.groupId))]);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const resolved: ResolvedMapping[] = [];
  mappings.forEach((mapping, index) => {
    if (!groups.has(mapping.groupId)) {
      errors.push({ field: `/groupMappings/${index}/groupId`, message: `No group has the id "${mapping.groupId}".` });
      return;
    }
    const key = JSON.stringify([mapping.value, mapping.groupId]);
    if (seen.has(key)) return;
    seen.add(key);
    resolved.push({ value: mapping.value, groupId: mapping.groupId });
  });
  if (errors.length > 0) throw new DomainError('validation_failed', 'Some of the mapped groups do not exist.', { errors });
  return { mappings: resolved, groups };
}

/** Whether two mapping lists hold the same pairs. */
export function sameMappings(a: readonly ResolvedMapping[], b: readonly ResolvedMapping[]): boolean {
  const key = (list: readonly ResolvedMapping[]) =>
    list
      .map((m) => JSON.stringify([m.value, m.groupId]))
      .sort()
      .join('\n');
  return a.length === b.length && key(a) === key(b);
}
