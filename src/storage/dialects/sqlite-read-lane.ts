import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import { busyError, heavyReadQueueLimit } from './driver.js';

/**
 * The code of the read lane's thread: its own read-only connection to the database file, statements run one after
 * another straight from its message queue. Like the password-hashing lanes (docs/decisions/0011) it lowers its own
 * priority on Linux, so that the main thread (requests) gets the CPU first when both want it. Plain CommonJS given as
 * source, so it runs the same from `src/` (tsx, Vitest) and from `dist/`.
 */
const laneSource = `
const { parentPort, workerData } = require('node:worker_threads');
if (process.platform === 'linux') {
  try { require('node:os').setPriority(10); } catch {}
}
const Database = require(workerData.driver);
const connection = new Database(workerData.file, { readonly: true, fileMustExist: true });
connection.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', (job) => {
  let answer;
  try {
    let statement = statements.get(job.sql);
    if (!statement) {
      statement = connection.prepare(job.sql);
      statements.set(job.sql, statement);
      if (statements.size > 64) statements.delete(statements.keys().next().value);
    }
    answer = { id: job.id, rows: statement.all(...job.parameters) };
  } catch (error) {
    answer = { id: job.id, error: { message: error instanceof Error ? error.message : String(error), code: error && error.code } };
  }
  parentPort.postMessage(answer);
});
`;
const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

type LaneAnswer = { id: number; rows: unknown[] } | { id: number; error: { message: string; code?: string } };

/**
 * A worker thread with its own read-only connection that runs reads whose cost no index bounds
 * (docs/product/security-settings.md#bounded-work): on SQLite, a statement blocks the thread that runs it, and a second
 * connection on the main thread would still block the main thread. Started on first use; an idle lane does not keep the
 * process alive. It reads committed data only (WAL), like the prepared-read connection.
 */
export class SqliteReadLane {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();

  constructor(private readonly file: string) {}

  run<R>(query: CompiledQuery<R>): Promise<R[]> {
    if (this.pending.size > heavyReadQueueLimit) return Promise.reject(busyError());
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<R[]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(laneSource, { eval: true, workerData: { driver: driverPath, file: this.file } });
    worker.unref();
    worker.on('message', (answer: LaneAnswer) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in answer) waiter.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
      else waiter.resolve(answer.rows);
    });
    // A lane that dies fails what it held and is started again by the next statement.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the read lane exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
