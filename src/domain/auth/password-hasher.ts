import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { DomainError } from '../errors.js';

/** SPEC §5.1: argon2id, 19 MiB, 2 iterations, parallelism 1. */
// `Algorithm` is an ambient const enum that isolated modules cannot read; 2 is its Argon2id member.
const argon2id = 2 as Algorithm.Argon2id;
export const argon2Parameters = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Temporary passwords are 20 random Crockford base32 characters (100 bits): no dictionary reaches them, so the work
 * factor that protects chosen passwords buys nothing there, while 500 of them at full cost take ~13 s on 2 cores
 * (SPEC §8 asks ≤ 3.5 s). They are argon2id at a light cost instead (docs/decisions/0007-temporary-password-hashing.md).
 */
export const temporaryArgon2Parameters = { algorithm: argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
const temporaryPrefix = `$argon2id$v=19$m=${temporaryArgon2Parameters.memoryCost},t=${temporaryArgon2Parameters.timeCost},p=1$`;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Hash for a generated temporary password (high entropy, light cost). */
  hashTemporary(password: string): Promise<string>;
  /** Verifies against `phc`, or against a dummy hash when the account does not exist (same cost either way). */
  verify(phc: string | null, password: string): Promise<boolean>;
  needsRehash(phc: string): boolean;
  /** Hashes waiting plus running, for the metrics endpoint. */
  readonly load: { running: number; waiting: number };
}

/**
 * Runs argon2 on the libuv pool, at most `concurrency` at once so that one core always serves other requests (§5.1,
 * §8). Beyond `queueLimit` waiting callers it fails fast with 429 instead of letting latency grow without bound.
 */
export function createPasswordHasher(concurrency: number, queueLimit: number): PasswordHasher {
  let running = 0;
  const waiting: Array<() => void> = [];
  const dummy = hash(randomBytes(32).toString('base64url'), argon2Parameters);

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queueLimit)
        throw new DomainError('rate_limited', 'The server is busy checking passwords. Try again in a moment.');
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  return {
    hash: (password) => withSlot(() => hash(password, argon2Parameters)),
    hashTemporary: (password) => withSlot(() => hash(password, temporaryArgon2Parameters)),
    verify: async (phc, password) => {
      const target = phc ?? (await dummy);
      const ok = await withSlot(() => verify(target, password).catch(() => false));
      // A light temporary hash answers faster than a full one; spend the full cost anyway, so timing does not tell
      // who still has a temporary password.
      if (phc?.startsWith(temporaryPrefix)) await withSlot(async () => verify(await dummy, password).catch(() => false));
      return phc !== null && ok;
    },
    needsRehash(phc) {
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
      return (
        !match ||
        Number(match[1]) !== argon2Parameters.memoryCost ||
        Number(match[2]) !== argon2Parameters.timeCost ||
        Number(match[3]) !== argon2Parameters.parallelism
      );
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
