import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const entry = ['--import', 'tsx', path.join(repoRoot, 'src/main.ts')];

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `roster <args>` as a real process against `env` (the server-side commands touch the database directly). */
export function runRoster(args: string[], env: Record<string, string>, input?: string): CliRun {
  const result = spawnSync(process.execPath, [...entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ROSTER_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
  process: ChildProcess;
}

/** Starts `roster serve` on a free port and resolves once it prints its `Open:` line. */
export async function startRoster(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, [...entry, 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, ROSTER_LOG_LEVEL: 'warn', ROSTER_PORT: '0', ROSTER_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    out += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
    child.stdout?.on('data', () => {
      const match = /^Open: (\S+)$/m.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(new URL(match[1]).origin);
      }
    });
  });
  return {
    url,
    output: () => out,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * `runRoster` without blocking: the test's own event loop keeps running (its HTTP writers keep writing) while the
 * command works. Resolves when the process exits.
 */
export function runRosterAsync(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ROSTER_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
