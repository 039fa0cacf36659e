import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The two kinds of API token, told apart by their prefix: a person's `rst_` and a service account's `rss_`
 * (docs/product/security-settings.md#api-tokens, docs/product/service-accounts.md#the-token). Same shape otherwise.
 */
export type ApiTokenKind = 'personal' | 'service_account';

const tokenPrefixes: Record<ApiTokenKind, string> = { personal: 'rst_', service_account: 'rss_' };
export const apiTokenPattern = /^rst_[0-9A-Za-z]{38}$/;
const anyTokenPattern = /^rs[ts]_[0-9A-Za-z]{38}$/;

function toBase62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = base62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksum(body: string): string {
  return toBase62(crc32(body) >>> 0, 6);
}

/**
 * The prefix (`rst_` or `rss_`) + 32 random base62 characters + 6 base62 characters of CRC32 over the rest
 * (docs/product/security-settings.md#api-tokens).
 */
export function generateApiToken(kind: ApiTokenKind = 'personal'): string {
  let random = '';
  for (let i = 0; i < 32; i++) random += base62[randomInt(62)];
  const body = `${tokenPrefixes[kind]}${random}`;
  return body + checksum(body);
}

/** Shape and checksum only, for either kind: a mistyped token is refused without touching the database. */
export function isWellFormedApiToken(token: string): boolean {
  if (!anyTokenPattern.test(token)) return false;
  return checksum(token.slice(0, -6)) === token.slice(-6);
}

/** What the UI shows of a token: enough to recognise it, never enough to use it. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, 8);
}
