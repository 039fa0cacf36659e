import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * How to run `roster` (the arguments after `node`): the server compiled once per run by tests/support/global-setup.ts,
 * or, outside a Vitest run (bench), `src/main.ts` through tsx.
 */
export function rosterEntry(): string[] {
  let compiled: string | undefined;
  try {
    compiled = inject('rosterEntry');
  } catch {
    compiled = undefined;
  }
  return compiled ? [compiled] : ['--import', 'tsx', path.join(repoRoot, 'src/main.ts')];
}

/**
 * The environment of a spawned `roster`: quiet logs, and V8's compile cache shared by every process of the run (Node 22+
 * reads NODE_COMPILE_CACHE; Node 20 ignores it), so the hundred-odd processes a run starts compile the server once.
 */
export function rosterEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  let cache: string | undefined;
  try {
    cache = inject('rosterCompileCache');
  } catch {
    cache = undefined;
  }
  return { ...process.env, ROSTER_LOG_LEVEL: 'warn', ...(cache ? { NODE_COMPILE_CACHE: cache } : {}), ...env };
}

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
  const result = spawnSync(process.execPath, [...rosterEntry(), ...args], {
    cwd: repoRoot,
    env: rosterEnv(env),
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `roster <args>` on a pseudo-terminal (util-linux `script`, as a person's shell gives it), answering its prompts
 * in order: each answer is typed (then Enter) once the output since the previous answer matches its prompt. Resolves
 * with the exit code and everything the terminal showed.
 */
export function runRosterInTerminal(
  args: string[],
  env: Record<string, string>,
  answers: Array<{ prompt: RegExp; type: string }>,
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, ...rosterEntry(), ...args].map((arg) => `'${arg}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, env: rosterEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let since = 0;
  const pending = [...answers];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    const next = pending[0];
    if (next?.prompt.test(output.slice(since))) {
      pending.shift();
      since = output.length;
      child.stdin.write(`${next.type}\r`);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit in a terminal:\n${output}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
  process: ChildProcess;
}

/** Starts `roster serve` on a free port and resolves once it prints its `Open:` line. */
export async function startRoster(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, [...rosterEntry(), 'serve'], {
    cwd: repoRoot,
    env: rosterEnv({ ROSTER_PORT: '0', ROSTER_HOST: '127.0.0.1', ...env }),
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
 * `runRoster` without blocking: the test's own event loop keeps running while the command works (its HTTP writers keep
 * writing; a server under test that is a child of this process keeps draining its output). `input` is written to
 * stdin, which is then closed. Resolves when the process exits.
 */
export function runRosterAsync(args: string[], env: Record<string, string>, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...rosterEntry(), ...args], {
      cwd: repoRoot,
      env: rosterEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
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
    child.stdin.end(input ?? '');
  });
}
