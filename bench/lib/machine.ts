import fs from 'node:fs';
import { hashSync } from '@node-rs/argon2';
import { argon2Parameters } from '../../src/domain/auth/password-hasher.js';

/**
 * The reference machine of docs/product/speed-targets.md: absolute targets (fixed request rates, logins/s, times) are
 * its figures. Shared machines vary by 2× from day to day, so the bench measures today's capacity in the same run and
 * scales every absolute target by it.
 */
export const reference = { bareRps: 25_000, hashMs: 5.6 } as const;

/** Today's capacity against the reference, and the targets scaled by it. */
export interface Machine {
  /** A bare Fastify route's req/s today (median of two rounds). */
  bareRps: number;
  /** One argon2id hash at the password cost, today (median, ms). */
  hashMs: number;
  /** bareRps ÷ the reference's: scales fixed request rates (×) and times (÷). */
  speed: number;
  /** The reference's hash time ÷ today's: scales logins/s. */
  hashing: number;
  /** A fixed request rate of the reference machine, at today's speed (at least 1/s). */
  rate(referencePerSecond: number): number;
  /** A time limit of the reference machine (ms), at today's speed. */
  ms(referenceMs: number): number;
  /** Logins/s of the reference machine, at today's hashing speed. */
  logins(referencePerSecond: number): number;
  /** One line for the log and the table's header. */
  summary: string;
}

export function describeMachine(bareRps: number, hashMs: number): Machine {
  const speed = bareRps / reference.bareRps;
  const hashing = reference.hashMs / hashMs;
  return {
    bareRps,
    hashMs,
    speed,
    hashing,
    rate: (perSecond) => Math.max(1, Math.round(perSecond * speed)),
    ms: (limit) => Math.round((limit / speed) * 10) / 10,
    logins: (perSecond) => Math.round(perSecond * hashing),
    summary:
      `machine factors: speed ${speed.toFixed(2)} (bare route ${bareRps.toFixed(0)} req/s ÷ ${reference.bareRps}), ` +
      `hashing ${hashing.toFixed(2)} (${reference.hashMs} ms ÷ ${hashMs.toFixed(1)} ms per argon2id hash)`,
  };
}

/** One argon2id hash at the password cost (docs/product/security-settings.md#passwords), median of 15 after 3 warm-ups. */
export function measureHashMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 18; i++) {
    const started = performance.now();
    hashSync(`bench-hash-${i}`, argon2Parameters);
    if (i >= 3) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/**
 * File pages read back in after the kernel evicted them (`workingset_refault_file` in /proc/vmstat), in MiB so far;
 * null where the counter cannot be read (not Linux). On a VM that evicts page cache on its own (DAMON's `pageout`
 * action, bench/README.md#the-machine-that-afternoon) the databases' files are read from the disk again under load,
 * which costs every absolute row: the bench prints this beside each scenario so that a run can be read against it.
 */
export function refaultedFileMiB(): number | null {
  try {
    const match = /^workingset_refault_file (\d+)$/m.exec(fs.readFileSync('/proc/vmstat', 'utf8'));
    return match?.[1] ? (Number(match[1]) * pageBytes) / 1024 / 1024 : null;
  } catch {
    return null;
  }
}

const pageBytes = 4096;
