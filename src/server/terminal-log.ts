import { Writable } from 'node:stream';
import type { LogLevel } from '../config/config.js';

/**
 * The server log for a person at a terminal (docs/product/running.md#logs): pino's JSON lines rewritten as one-liners
 * (`09:30:00 INFO  Server listening at http://127.0.0.1:3000`), with per-request lines kept for `debug` and `trace`.
 * When stdout is not a terminal none of this runs: the JSON lines scripts read stay exactly as they are.
 */
export function terminalLogStream(level: LogLevel, out: NodeJS.WritableStream = process.stdout): Writable {
  const showRequests = level === 'debug' || level === 'trace';
  // `incoming request` carries the method and URL, `request completed` the status and time: one line from both.
  const pending = new Map<string, { method: string; url: string }>();
  let partial = '';
  return new Writable({
    write(chunk, _encoding, done) {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const text = line.trim() ? formatLine(line, showRequests, pending) : null;
        if (text !== null) out.write(`${text}\n`);
      }
      done();
    },
  });
}

const levelNames: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const shownElsewhere = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime', 'component']);

function formatLine(line: string, showRequests: boolean, pending: Map<string, { method: string; url: string }>): string | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const reqId = typeof entry.reqId === 'string' ? entry.reqId : undefined;
  if (entry.msg === 'incoming request' && reqId) {
    const req = (entry.req ?? {}) as { method?: string; url?: string };
    if (showRequests) pending.set(reqId, { method: req.method ?? '?', url: req.url ?? '?' });
    return null;
  }
  if (entry.msg === 'request completed' && reqId) {
    const req = pending.get(reqId);
    pending.delete(reqId);
    if (!showRequests) return null;
    const status = (entry.res as { statusCode?: number } | undefined)?.statusCode ?? '?';
    const ms = typeof entry.responseTime === 'number' ? `${entry.responseTime.toFixed(1)} ms` : '';
    return `${time} DEBUG ${req?.method ?? '?'} ${req?.url ?? '?'} ${status} ${ms}`.trimEnd();
  }
  const level = (levelNames[Number(entry.level)] ?? 'INFO').padEnd(5);
  const err = entry.err as { message?: string } | undefined;
  const extras = Object.entries(entry)
    .filter(([key]) => !shownElsewhere.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (err?.message) extras.unshift(`error=${JSON.stringify(err.message)}`);
  return [time, level, String(entry.msg ?? ''), ...extras].join(' ').trimEnd();
}

/** The first-start credentials in a frame, so they stand out at the end of the start-up lines. */
export function framed(lines: string[]): string[] {
  const width = Math.max(...lines.map((line) => line.length));
  return [`╭${'─'.repeat(width + 2)}╮`, ...lines.map((line) => `│ ${line.padEnd(width)} │`), `╰${'─'.repeat(width + 2)}╯`];
}
