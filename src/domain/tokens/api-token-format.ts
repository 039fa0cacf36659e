import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const apiTokenPattern = /^rst_[0-9A-Za-z]{38}$/;

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

/** `rst_` + 32 random base62 characters + 6 base62 characters of CRC32 over the rest (docs/product/security-settings.md#api-tokens). */
export function generateApiToken(): string {
  let random = '';
  for (let i = 0; i < 32; i++) random += base62[randomInt(62)];
  const body = `rst_${random}`;
  return body + checksum(body);
}

/** Shape and checksum only: a mistyped token is refused without touching the database. */
export function isWellFormedApiToken(token: string): boolean {
  if (!apiTokenPattern.test(token)) return false;
  return checksum(token.slice(0, -6)) === token.slice(-6);
}

/** What the UI shows of a token: enough to recognise it, never enough to use it. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, 8);
}
