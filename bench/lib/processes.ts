import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OpenLoopPlan, OpenLoopResult } from '../open-loop.js';
import type { TotpLoginPlan, TotpLoginResult } from '../totp-logins.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export { freePort } from '../../tests/support/processes.js';

export interface ServerProcess {
  name: string;
  origin: string;
  pid: number;
  child: ChildProcess;
  /** stderr, for error reports (stdout, the request log, is in a file). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits until `readyPath` answers. stdout (the request log, on at `info` for Roster and
 * the baseline alike, as docs/product/speed-targets.md#how-the-bench-measures requires) goes to a file, as in a real
 * deployment: never a pipe that this busy process would have to drain. The file is deleted when the server stops.
 */
export async function startServer(
  name: string,
  args: string[],
  options: { port: number; env?: Record<string, string>; readyPath: string },
): Promise<ServerProcess> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-bench-log-'));
  const logFile = fs.openSync(path.join(logDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.log`), 'w');
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', logFile, 'pipe'],
  });
  fs.closeSync(logFile);
  child.once('exit', () => fs.rmSync(logDir, { recursive: true, force: true }));
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out}`);
    try {
      const response = await fetch(`${origin}${options.readyPath}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    origin,
    pid: child.pid as number,
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process in MiB (VmRSS), or NaN once it is gone. */
export function residentMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's VmRSS every ~100 ms; `window()` gives the peak since the last call and the samples. */
export class MemorySampler {
  private timer: NodeJS.Timeout;
  private samples: Array<{ at: number; mib: number }> = [];
  private peak = 0;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    const mib = residentMiB(this.pid);
    if (Number.isNaN(mib)) return;
    this.samples.push({ at: Date.now(), mib });
    this.peak = Math.max(this.peak, mib);
  }

  /** Peak RSS (MiB) and samples since the previous call; starts a new window. */
  window(): { peak: number; samples: Array<{ at: number; mib: number }> } {
    this.sample();
    const result = { peak: this.peak, samples: this.samples };
    this.samples = [];
    this.peak = residentMiB(this.pid) || 0;
    return result;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Runs the fixed-rate generator (bench/open-loop.ts) as its own process and returns its result. */
export function runOpenLoop(plan: OpenLoopPlan): Promise<OpenLoopResult> {
  return runGenerator<OpenLoopResult>('bench/open-loop.ts', JSON.stringify(plan));
}

/** Runs bench/totp-logins.ts in its own process; the plan (with every account's seed) goes through a temporary file. */
export async function runTotpLogins(plan: TotpLoginPlan): Promise<TotpLoginResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-totp-'));
  const file = path.join(dir, 'plan.json');
  fs.writeFileSync(file, JSON.stringify(plan), { mode: 0o600 });
  try {
    return await runGenerator<TotpLoginResult>('bench/totp-logins.ts', file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A load generator script in its own process; its last line on stdout is the JSON result. */
function runGenerator<T>(script: string, argument: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), argument], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}:\n${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T);
      } catch (error) {
        reject(new Error(`${script} printed no result: ${String(error)}\n${out}\n${err}`));
      }
    });
  });
}
