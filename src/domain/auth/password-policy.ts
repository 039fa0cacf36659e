import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../../shared/errors.js';
import { DomainError } from '../errors.js';

/** Longest accepted password, in code points (docs/product/security-settings.md#passwords). Longer input is refused before hashing. */
export const maxPasswordLength = 256;

// The common-password list shipped with zxcvbn-ts (~49,000 entries, including long ones like "passwordpassword").
const blocklist: ReadonlySet<string> = new Set((dictionary['passwords-common'] as string[]).map((word) => word.toLowerCase()));

/** NFKC, as stored and compared (docs/product/security-settings.md#passwords): "ｐａｓｓ" and "pass" are the same password. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export interface PasswordContext {
  minLength: number;
  username?: string;
  email?: string;
  /** The password being replaced, when the new one must differ (temporary passwords). */
  previous?: string;
}

/** Returns why `password` is refused, or null when it is acceptable. */
export function passwordPolicyViolation(password: string, context: PasswordContext): string | null {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < context.minLength) return `Use at least ${context.minLength} characters.`;
  if (length > maxPasswordLength) return `Use at most ${maxPasswordLength} characters.`;
  const lowered = normalized.toLowerCase();
  if (blocklist.has(lowered)) return 'This password is too common; it appears in lists of leaked passwords.';
  const personal = [context.username, context.email, context.email?.split('@')[0], 'roster']
    .filter((value): value is string => Boolean(value))
    .map((value) => value.toLowerCase());
  if (personal.includes(lowered)) return 'The password must not be your username, your email or the product name.';
  if (context.previous !== undefined && normalizePassword(context.previous) === normalized) {
    return 'The new password must differ from the current one.';
  }
  return null;
}

/** Throws 400 `password_policy` with a field error when the password is refused. */
export function assertPasswordPolicy(password: string, context: PasswordContext, field = 'newPassword'): void {
  const violation = passwordPolicyViolation(password, context);
  if (violation !== null) {
    const errors: FieldError[] = [{ field: `/${field}`, message: violation }];
    throw new DomainError('password_policy', violation, { errors });
  }
}
