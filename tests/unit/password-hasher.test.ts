import fs from 'node:fs';
import { expect, it } from 'vitest';
import { argon2Parameters, createPasswordHasher } from '../../src/domain/auth/password-hasher.js';
import { DomainError } from '../../src/domain/errors.js';

// The hasher runs argon2id on worker threads (one job at a time per lane), docs/product/security-settings.md#passwords
// and docs/product/speed-targets.md#targets.

it('hashes with the documented argon2id parameters and verifies right, wrong and malformed hashes', async () => {
  const hasher = createPasswordHasher(1, 10);
  const phc = await hasher.hash('correct horse battery staple');
  expect(phc).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${argon2Parameters.memoryCost},t=${argon2Parameters.timeCost},p=1\\$`));
  expect(hasher.needsRehash(phc)).toBe(false);
  expect(await hasher.verify(phc, 'correct horse battery staple')).toBe(true);
  expect(await hasher.verify(phc, 'correct horse battery stapler')).toBe(false);
  expect(await hasher.verify('$argon2id$not-a-hash', 'anything')).toBe(false);
  // An unknown account is checked against a dummy hash, and never matches.
  expect(await hasher.verify(null, 'correct horse battery staple')).toBe(false);
  const temporary = await hasher.hashTemporary('0123456789ABCDEFGHJK');
  expect(hasher.needsRehash(temporary)).toBe(true);
  expect(await hasher.verify(temporary, '0123456789ABCDEFGHJK')).toBe(true);
});

it('queues beyond its lanes and answers 429 at once when the queue is full, telling onRefused each time', async () => {
  let refusals = 0;
  // onRefused feeds roster_rate_limited_total{limit="hash_queue"} (docs/product/running.md#health-and-metrics).
  const hasher = createPasswordHasher(1, 2, () => refusals++);
  const jobs = Array.from({ length: 5 }, (_, i) => hasher.hash(`password number ${i}`));
  // One running, two waiting: the fourth and fifth are refused without waiting.
  expect(hasher.load).toEqual({ running: 1, waiting: 2 });
  const settled = await Promise.allSettled(jobs);
  expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
  for (const result of settled.slice(3)) {
    expect(result.status === 'rejected' && result.reason instanceof DomainError && result.reason.code).toBe('rate_limited');
    // docs/product/security-settings.md#passwords: the 429 of a full queue tells the client when to come back (the
    // server sends it as Retry-After).
    const retryAfter = result.status === 'rejected' && result.reason instanceof DomainError ? result.reason.extra.retryAfterSeconds : null;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
  }
  expect(refusals).toBe(2);
  expect(hasher.load).toEqual({ running: 0, waiting: 0 });
});

it('makes the dummy hash again when the queue refused its first making', async () => {
  const hasher = createPasswordHasher(1, 1);
  const busy = [hasher.hash('one password to hash'), hasher.hash('another password to hash')];
  // The queue is full: the first check of an unknown account cannot make the dummy hash now…
  await expect(hasher.verify(null, 'some password')).rejects.toMatchObject({ code: 'rate_limited' });
  await Promise.all(busy);
  // …and later checks must not inherit that refusal (unknown names would answer 429 for ever).
  expect(await hasher.verify(null, 'some password')).toBe(false);
});

/**
 * Linux: nice is per thread. The lanes ask for nice 10, so requests on the main thread win the CPU when both want it.
 * Compared with the main thread's own nice rather than with 0, so it holds under `nice npm test` too: lanes never run
 * at a higher priority than the main thread, and when the main thread is below 10, strictly lower.
 */
it.skipIf(process.platform !== 'linux')(
  'runs its lanes at nice 10 or weaker, below the main thread when that one is below 10',
  async () => {
    const niceOf = (tid: string) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const threads = () => fs.readdirSync('/proc/self/task');
    const before = new Set(threads());
    // More lanes than any other test here starts, each given a job, so that every new lane has set its priority.
    const lanes = 4;
    const hasher = createPasswordHasher(lanes, lanes);
    await Promise.all(Array.from({ length: lanes }, (_, i) => hasher.hash(`lane priority ${i}`)));
    const main = niceOf(String(process.pid));
    const laneNice = Math.max(10, main);
    const started = threads().filter((tid) => !before.has(tid));
    // Lanes 2–4 at least are new here (lane 1 may come from an earlier test of this file).
    expect(started.map(niceOf).filter((nice) => nice === laneNice).length).toBeGreaterThanOrEqual(lanes - 1);
  },
);
