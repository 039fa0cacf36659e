import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
// The names the global setup provides (`rosterEntry`, `rosterCompileCache`).
import type {} from '../../support/global-setup.js';
import { repoRoot } from './paths.js';

/**
 * The server compiled once per run by tests/support/global-setup.ts (the CLI suites run the same), or outside a Vitest
 * run `src/main.ts` through tsx: no TypeScript loader compiling the server again in every browser suite's server.
 */
function rosterEntry(): string[] {
  try {
    return [inject('rosterEntry')];
  } catch {
    return ['--import', 'tsx', 'src/main.ts'];
  }
}

/** Node 22's compile cache for that server, shared with the CLI suites' processes (Node 20 ignores it). */
function compileCache(): Record<string, string> {
  try {
    return { NODE_COMPILE_CACHE: inject('rosterCompileCache') };
  } catch {
    return {};
  }
}

/** A real Roster server running as a child process on a fresh SQLite database. */
export interface ServerProcess {
  /** The address printed on the `Open:` line, with the real port (the server may print a path, e.g. `/login`). */
  url: string;
  /** The scheme, host and port of `url`, to build other addresses: `${origin}/people`. */
  origin: string;
  /** The first Owner's username, from the `Owner:` line. */
  owner: string;
  /** The first Owner's temporary password, from the `Temporary password:` line. */
  temporaryPassword: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops the server with SIGTERM (SIGKILL after a grace period) and deletes its database. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra environment variables, e.g. ROSTER_PASSWORD_MIN_LENGTH. */
  env?: Record<string, string>;
  /** How long to wait for the three start-up lines. */
  timeoutMs?: number;
}

/**
 * Starts `roster serve` (the compiled server, see `rosterEntry`) on a random port with a new database, and waits until it prints
 * `Owner: …`, `Temporary password: …` and `Open: …` (docs/product/running.md#first-owner).
 */
export async function startServerProcess(options: StartServerOptions = {}): Promise<ServerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'roster-e2e-'));
  const child = spawn(process.execPath, [...rosterEntry(), 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...compileCache(),
      ROSTER_DATABASE_URL: `sqlite:${join(dataDir, 'roster.db')}`,
      ROSTER_PORT: '0',
      ROSTER_HOST: '127.0.0.1',
      ROSTER_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output += chunk;
  });

  const stop = () => stopChild(child).finally(() => rm(dataDir, { recursive: true, force: true }));

  try {
    const lines = await readStartupLines(child, options.timeoutMs ?? 60_000, (chunk) => {
      output += chunk;
    });
    return { ...lines, output: () => output, stop };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- server output ---\n${output}`);
  }
}

function readStartupLines(
  child: ChildProcess,
  timeoutMs: number,
  onOutput: (chunk: string) => void,
): Promise<{ owner: string; temporaryPassword: string; url: string; origin: string }> {
  return new Promise((resolve, reject) => {
    const found: { owner?: string; temporaryPassword?: string; url?: string } = {};
    let pending = '';

    const timer = setTimeout(() => finish(new Error(`the server did not print its start-up lines within ${timeoutMs} ms`)), timeoutMs);

    function finish(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stdout so that a chatty server never blocks on a full pipe.
      child.stdout?.on('data', onOutput);
      if (error) reject(error);
      else if (found.owner && found.temporaryPassword && found.url) {
        resolve({ owner: found.owner, temporaryPassword: found.temporaryPassword, url: found.url, origin: new URL(found.url).origin });
      }
    }

    function onData(chunk: string): void {
      onOutput(chunk);
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const text = line.trim();
        if (text.startsWith('Owner: ')) found.owner = text.slice('Owner: '.length).trim();
        else if (text.startsWith('Temporary password: ')) found.temporaryPassword = text.slice('Temporary password: '.length).trim();
        else if (text.startsWith('Open: ')) found.url = text.slice('Open: '.length).trim();
      }
      if (found.owner && found.temporaryPassword && found.url) finish();
    }

    function onExit(code: number | null, signal: NodeJS.Signals | null): void {
      finish(new Error(`the server exited before it was ready (code ${code}, signal ${signal})`));
    }

    child.stdout?.on('data', onData);
    child.on('exit', onExit);
    child.on('error', (error) => finish(error));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
