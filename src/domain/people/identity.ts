import { domainToASCII } from 'node:url';
import { DomainError } from '../errors.js';

/** Handles that collide with routes or suggest authority (docs/product/data.md#usernames). `admin` is deliberately allowed. */
export const reservedUsernames: ReadonlySet<string> = new Set([
  'root',
  'api',
  'me',
  'new',
  'login',
  'logout',
  'setup',
  'system',
  'settings',
  'people',
  'roles',
  'projects',
  'groups',
  'audit',
  'roster',
]);

const usernamePattern = /^[a-z0-9](?:[a-z0-9]|[-_.](?=[a-z0-9]))*$/;
export const usernameLength = { min: 2, max: 39 } as const;

/** NFKC + lower case: `ＡＬＩＣＥ` and `Alice` are both `alice`. */
export function normalizeUsername(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

/** Why a (normalised) username is refused, or null. */
export function usernameViolation(username: string): string | null {
  if (username.length < usernameLength.min || username.length > usernameLength.max) {
    return `Use ${usernameLength.min} to ${usernameLength.max} characters.`;
  }
  if (!usernamePattern.test(username)) {
    return 'Use only a-z, 0-9, "-", "_" and "."; start and end with a letter or digit; no two separators in a row.';
  }
  if (reservedUsernames.has(username)) return `"${username}" is reserved.`;
  return null;
}

/** Normalises and validates a username; throws 400 `invalid_username`. */
export function parseUsername(input: string, field = 'username'): string {
  const username = normalizeUsername(input);
  const violation = usernameViolation(username);
  if (violation) throw new DomainError('invalid_username', violation, { errors: [{ field: `/${field}`, message: violation }] });
  return username;
}

/**
 * The username inferred from an email (docs/product/data.md#usernames): local part without `+tag`, lower-cased,
 * disallowed runs → `-`, separators trimmed, padded to 2, cut to 39. Collisions are resolved by the caller with
 * `withSuffix`.
 */
export function inferUsername(email: string): string {
  const local = (email.split('@')[0] ?? '').split('+')[0] ?? '';
  let name = local
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/[-_.]{2,}/g, (run) => run[0] ?? '-')
    .replace(/^[-_.]+|[-_.]+$/g, '');
  while (name.length < usernameLength.min) name += '0';
  return name.slice(0, usernameLength.max).replace(/[-_.]+$/g, '');
}

/** `base-2`, `base-3`, … cut so the result still fits in 39 characters. */
export function withSuffix(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${base.slice(0, usernameLength.max - suffix.length).replace(/[-_.]+$/g, '')}${suffix}`;
}

export interface ParsedEmail {
  /** As typed (trimmed), with an IDN domain in its ASCII form. */
  display: string;
  /** Lower-cased form used for uniqueness and login. */
  canonical: string;
}

const localPartPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabelPattern = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function parseEmailOrNull(input: string): ParsedEmail | null {
  const trimmed = input.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (trimmed.length > 254 || /[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  const local = trimmed.slice(0, at);
  const domainInput = trimmed.slice(at + 1);
  if (local.length > 64 || !localPartPattern.test(local)) return null;
  const domain = domainToASCII(domainInput.normalize('NFKC').toLowerCase());
  if (!domain || domain.length > 253) return null;
  const labels = domain.split('.');
  if (!labels.every((label) => domainLabelPattern.test(label))) return null;
  // Single-label domains are allowed for `admin@localhost` and intranets.
  const display = `${local}@${domain === domainInput.toLowerCase() ? domainInput : domain}`;
  if (display.length > 254) return null;
  return { display, canonical: `${local}@${domain}`.toLowerCase() };
}

/** Parses an email; throws 400 `invalid_email`. */
export function parseEmail(input: string, field = 'email'): ParsedEmail {
  const parsed = parseEmailOrNull(input);
  if (!parsed) {
    const message = 'Enter a valid email address, like name@example.com.';
    throw new DomainError('invalid_email', message, { errors: [{ field: `/${field}`, message }] });
  }
  return parsed;
}

/** The lookup key for a login name: an email's canonical form, or a normalised username. */
export function loginKey(login: string): { kind: 'email' | 'username'; value: string } {
  const trimmed = login.trim();
  if (trimmed.includes('@')) {
    const parsed = parseEmailOrNull(trimmed);
    return { kind: 'email', value: parsed?.canonical ?? trimmed.toLowerCase() };
  }
  return { kind: 'username', value: normalizeUsername(trimmed) };
}
