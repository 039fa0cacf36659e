import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Algorithm, Options } from '@node-rs/argon2';
import { DomainError } from '../errors.js';

/** docs/product/security-settings.md#passwords: argon2id, 19 MiB, 2 iterations, parallelism 1. */
// `Algorithm` is an ambient const enum that isolated modules cannot read; 2 is its Argon2id member.
const argon2id = 2 as Algorithm.Argon2id;
export const argon2Parameters = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Temporary passwords are 20 random Crockford base32 characters (100 bits): no dictionary reaches them, so the work
 * factor that protects chosen passwords buys nothing there, while 500 of them at full cost take ~13 s on 2 cores
 * (docs/product/speed-targets.md#targets asks ≤ 3.5 s). They are argon2id at a light cost instead
 * (docs/decisions/0007-temporary-password-hashing.md).
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
  /** Starts the hashing threads and the dummy hash now, so the first login does not pay for them (server start). */
  warmUp(): Promise<void>;
}

type HashJob =
  | { id: number; kind: 'hash'; password: string; options: Options }
  | { id: number; kind: 'verify'; phc: string; password: string };

type HashAnswer = { id: number; result: string | boolean } | { id: number; error: string };

/**
 * The code of a hashing lane's thread: argon2 jobs one after another, straight from its message queue, so the next job
 * starts the moment the last one ends, without waiting for the main thread's event loop to hand it over
 * (docs/product/speed-targets.md#targets: logins per second at one hashing core). Lanes run at a lower priority than
 * the main thread, so a login flood does not take CPU from other requests (docs/product/security-settings.md#passwords:
 * one core always serves them; docs/product/speed-targets.md#targets: p99 of GETs during logins). Plain CommonJS given
 * as source: it runs the same from `src/` (tsx, Vitest) and from `dist/`, with no TypeScript loader in the thread.
 * `workerData` is the resolved path of @node-rs/argon2.
 */
const laneSource = `
const { parentPort, workerData } = require('node:worker_threads');
// On Linux the nice value is per thread: a lane yields the CPU to the main thread (requests) whenever both want it.
if (process.platform === 'linux') {
  try { require('node:os').setPriority(10); } catch {}
}
const { hashSync, verifySync } = require(workerData);
parentPort.on('message', (job) => {
  let answer;
  try {
    answer = { id: job.id, result: job.kind === 'hash' ? hashSync(job.password, job.options) : verifySync(job.phc, job.password) };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(answer);
});
`;
const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');

/** A worker thread that hashes one job at a time, in order (`laneSource`). */
class HashLane {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: string | boolean): void; reject(error: Error): void }>();

  get outstanding(): number {
    return this.pending.size;
  }

  run(job: DistributiveOmit<HashJob, 'id'>): Promise<string | boolean> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keep the process alive while a job is out; an idle lane must not hold it open.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...job, id });
    });
  }

  /** The lane's thread, started on first use (or again after it died). */
  start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(laneSource, { eval: true, workerData: argon2Path });
    worker.unref();
    worker.on('message', (answer: HashAnswer) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in answer) waiter.reject(new Error(answer.error));
      else waiter.resolve(answer.result);
    });
    // A lane that dies fails what it held and is started again by the next job.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the hashing thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Lanes are a process-wide resource (cores), shared by every hasher in the process and started on first use. */
const lanes: HashLane[] = [];

/**
 * Runs argon2 on `concurrency` worker threads, one job at a time each, so that one core always serves other requests
 * (docs/product/security-settings.md#passwords, docs/product/speed-targets.md#targets) and a lane never idles between
 * jobs. Beyond `queueLimit` waiting callers it fails fast with 429 instead of letting latency grow without bound, and
 * tells `onRefused` (the `hash_queue` count of docs/product/running.md#health-and-metrics).
 */
export function createPasswordHasher(concurrency: number, queueLimit: number, onRefused: () => void = () => undefined): PasswordHasher {
  while (lanes.length < concurrency) lanes.push(new HashLane());
  const mine = lanes.slice(0, concurrency);
  let outstanding = 0;
  let dummy: Promise<string> | null = null;
  // How long recent jobs took from queueing to answer (a moving average): with a full queue, about the time the
  // queue needs to make room, which a refused caller is told to wait (Retry-After,
  // docs/product/security-settings.md#passwords).
  let recentLatencyMs = 0;

  async function run(job: DistributiveOmit<HashJob, 'id'>): Promise<string | boolean> {
    if (outstanding - concurrency >= queueLimit) {
      onRefused();
      throw new DomainError('rate_limited', 'The server is busy checking passwords. Try again in a moment.', {
        retryAfterSeconds: Math.max(1, Math.ceil(recentLatencyMs / 1000)),
      });
    }
    // The lane with the fewest jobs out; ties go to the first.
    const lane = mine.reduce((best, candidate) => (candidate.outstanding < best.outstanding ? candidate : best));
    outstanding++;
    const queuedAt = performance.now();
    try {
      return await lane.run(job);
    } finally {
      outstanding--;
      recentLatencyMs = recentLatencyMs * 0.8 + (performance.now() - queuedAt) * 0.2;
    }
  }
  const hashWith = async (password: string, options: typeof argon2Parameters | typeof temporaryArgon2Parameters) =>
    String(await run({ kind: 'hash', password, options }));
  const verifyWith = async (phc: string, password: string) => (await run({ kind: 'verify', phc, password }).catch(rethrowBusy)) === true;
  const dummyHash = () => {
    if (!dummy) {
      const making = hashWith(randomBytes(32).toString('base64url'), argon2Parameters);
      // A refused making (full queue) must not be kept: the next unknown name tries again.
      making.catch(() => {
        if (dummy === making) dummy = null;
      });
      dummy = making;
    }
    return dummy;
  };

  return {
    hash: (password) => hashWith(password, argon2Parameters),
    hashTemporary: (password) => hashWith(password, temporaryArgon2Parameters),
    verify: async (phc, password) => {
      const target = phc ?? (await dummyHash());
      const ok = await verifyWith(target, password);
      // A light temporary hash answers faster than a full one; spend the full cost anyway, so timing does not tell
      // who still has a temporary password.
      if (phc?.startsWith(temporaryPrefix)) await verifyWith(await dummyHash(), password);
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
      return { running: Math.min(outstanding, concurrency), waiting: Math.max(0, outstanding - concurrency) };
    },
    async warmUp() {
      for (const lane of mine) lane.start();
      await dummyHash();
    },
  };
}

/** A malformed stored hash verifies as false; a full queue (429) is passed on. */
function rethrowBusy(error: unknown): false {
  if (error instanceof DomainError) throw error;
  return false;
}
