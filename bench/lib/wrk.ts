import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Makes sure `wrk` is installed: installs the Debian package when running as root, else explains and exits 1. */
export function ensureWrk(): void {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  if (process.getuid?.() === 0) {
    console.log('wrk is missing; installing it: apt-get install -y wrk');
    const installed = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
    if (installed.status === 0 && spawnSync('wrk', ['--version']).error === undefined) return;
  }
  console.error('The benchmark needs wrk (https://github.com/wg/wrk). Install it, e.g. `sudo apt-get install -y wrk`, and run again.');
  process.exit(1);
}

export interface WrkRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  /** All responses per second. */
  rps: number;
  /** 2xx/3xx responses per second. */
  okRps: number;
  non2xx: number;
  socketErrors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const luaString = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * A wrk script that cycles through `requests` and prints the summary as one JSON line. With `spendOnce`, each request
 * is sent at most once (single-use credentials such as authorization codes: a second use would revoke their grant);
 * once all are sent, the connections ask `GET /healthz` until the end.
 */
function script(requests: readonly WrkRequest[], spendOnce: boolean): string {
  const formatted = requests.map((request) => {
    const headers = { ...(request.body ? { 'Content-Type': 'application/json' } : {}), ...request.headers };
    const table = Object.entries(headers)
      .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
      .join(', ');
    return `  wrk.format(${luaString(request.method)}, ${luaString(request.path)}, { ${table} }, ${request.body ? luaString(request.body) : 'nil'})`;
  });
  return [
    'local requests = nil',
    'local i = 0',
    'init = function(args)',
    `  requests = {\n${formatted.join(',\n')}\n  }`,
    'end',
    'request = function()',
    ...(spendOnce ? ['  i = i + 1', '  if i > #requests then return wrk.format("GET", "/healthz") end'] : ['  i = i % #requests + 1']),
    '  return requests[i]',
    'end',
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'WRKJSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,\' ..',
    '    \'"p50":%d,"p90":%d,"p99":%d,"max":%d}\\n\', summary.requests, summary.duration, e.status,',
    '    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))',
    'end',
  ].join('\n');
}

/** Runs wrk (its own process) against `origin` for `seconds`, with `connections` keep-alive connections. */
export async function runWrk(
  origin: string,
  requests: readonly WrkRequest[],
  options: { seconds: number; connections: number; threads?: number; spendOnce?: boolean },
): Promise<WrkResult> {
  if (options.spendOnce && (options.threads ?? 1) > 1) throw new Error('spendOnce needs one wrk thread (each thread runs the whole list)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-wrk-'));
  const file = path.join(dir, 'request.lua');
  fs.writeFileSync(file, script(requests, options.spendOnce ?? false));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        'wrk',
        [
          `-t${options.threads ?? 1}`,
          `-c${options.connections}`,
          `-d${options.seconds}s`,
          '--timeout',
          '10s',
          '-s',
          file,
          `${origin}${requests[0]?.path ?? '/'}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.stderr.on('data', (chunk) => {
        out += chunk;
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}:\n${out}`))));
    });
    const line = /^WRKJSON (.*)$/m.exec(output)?.[1];
    if (!line) throw new Error(`wrk printed no summary:\n${output}`);
    const raw = JSON.parse(line) as Record<string, number>;
    const seconds = (raw.duration_us ?? 0) / 1e6;
    const total = raw.requests ?? 0;
    const non2xx = raw.non2xx ?? 0;
    return {
      requests: total,
      seconds,
      rps: total / seconds,
      okRps: (total - non2xx) / seconds,
      non2xx,
      socketErrors: raw.socket_errors ?? 0,
      latencyMs: { p50: (raw.p50 ?? 0) / 1000, p90: (raw.p90 ?? 0) / 1000, p99: (raw.p99 ?? 0) / 1000, max: (raw.max ?? 0) / 1000 },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
