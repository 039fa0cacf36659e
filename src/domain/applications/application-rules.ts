import { maxApplicationNameLength, maxRedirectUris } from '../../shared/api/applications.js';
import type { FieldError } from '../../shared/errors.js';
import type { Executor } from '../../storage/database.js';
import { existingGroupIds } from '../../storage/queries/applications.js';
import { DomainError } from '../errors.js';

/**
 * What an application's fields must be (SPEC §12.1, docs/product/api.md#applications), checked before anything is
 * written; every broken rule is one field error of 400 `validation_failed`.
 */

/** Hosts on which plain http is allowed: the loopback interface (RFC 8252 §7.3, native and CLI clients, any port). */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function isControlCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** Why `uri` cannot be a redirect URI, or null. Compared later as an exact string, so it is kept exactly as given. */
export function redirectUriViolation(uri: string): string | null {
  if (/\s/.test(uri) || [...uri].some(isControlCharacter)) return 'A redirect URI may not contain spaces or control characters.';
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return 'A redirect URI must be an absolute URI such as https://app.example.com/callback.';
  }
  if (uri.includes('#')) return 'A redirect URI may not have a fragment (#…).';
  if (parsed.username !== '' || parsed.password !== '') return 'A redirect URI may not carry a user name or password.';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:') {
    return loopbackHosts.has(parsed.hostname) ? null : 'Plain http is allowed only on localhost, 127.0.0.1 or [::1]; use https.';
  }
  return 'A redirect URI must use https (or http on localhost, 127.0.0.1 or [::1]).';
}

function uriListErrors(field: string, uris: readonly string[], min: number): FieldError[] {
  const errors: FieldError[] = [];
  if (uris.length < min || uris.length > maxRedirectUris) {
    errors.push({ field: `/${field}`, message: `Give ${min} to ${maxRedirectUris} URIs.` });
  }
  const seen = new Set<string>();
  uris.forEach((uri, index) => {
    const violation = redirectUriViolation(uri) ?? (seen.has(uri) ? 'This URI is listed twice.' : null);
    if (violation) errors.push({ field: `/${field}/${index}`, message: violation });
    seen.add(uri);
  });
  return errors;
}

export interface ApplicationFields {
  name: string;
  confidential: boolean;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  authorizeApi: boolean;
}

/** Throws 400 `validation_failed` listing every broken rule of the fields an application would have. */
export function assertValidApplication(fields: ApplicationFields): void {
  const errors: FieldError[] = [];
  if (fields.name.length < 1 || fields.name.length > maxApplicationNameLength) {
    errors.push({ field: '/name', message: `Give the application a name of 1 to ${maxApplicationNameLength} characters.` });
  }
  errors.push(...uriListErrors('redirectUris', fields.redirectUris, 1));
  errors.push(...uriListErrors('postLogoutRedirectUris', fields.postLogoutRedirectUris, 0));
  if (fields.authorizeApi && !fields.confidential) {
    errors.push({
      field: '/authorizeApi',
      message: 'Only a confidential application may use the authorization API (it needs a client secret).',
    });
  }
  if (errors.length > 0) throw new DomainError('validation_failed', errors.map((error) => error.message).join(' '), { errors });
}

/** A name as stored: trimmed. */
export function normalizeApplicationName(name: string): string {
  return name.trim();
}

/**
 * The allowed groups as given, without repeats, once every one exists (400 `validation_failed` naming the unknown ones
 * otherwise); null: everyone may sign in (absent, null or an empty list).
 */
export async function resolveAllowedGroups(db: Executor, groupIds: readonly string[] | null | undefined): Promise<string[] | null> {
  if (!groupIds || groupIds.length === 0) return null;
  const unique = [...new Set(groupIds)];
  const existing = await existingGroupIds(db, unique);
  const errors: FieldError[] = [];
  groupIds.forEach((id, index) => {
    if (!existing.has(id)) errors.push({ field: `/allowedGroupIds/${index}`, message: `No group has the id "${id}".` });
  });
  if (errors.length > 0) throw new DomainError('validation_failed', 'Some of the allowed groups do not exist.', { errors });
  return unique;
}
