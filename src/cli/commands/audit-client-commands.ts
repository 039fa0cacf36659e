import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { type Command, Option } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import type { AuditEventView as AuditEvent, AuditList, AuditQuery } from '../../shared/api/audit.js';
import type { RosterClient } from '../client/api-client.js';
import { openClient } from '../client/open-client.js';
import { CliError, usageError } from '../errors.js';
import { formatTable, type Output } from '../output.js';

const outcomes = ['success', 'failure', 'denied'] as const;
const formats = ['jsonl', 'csv'] as const;

/** The filters as typed on the command line: times as given (ISO 8601 or an age), turned into the query by filterQuery. */
type FilterOptions = Pick<AuditQuery, 'actor' | 'action' | 'target' | 'outcome'> & { since?: string; until?: string };

/** The filters every audit subcommand takes, as `GET /audit` query parameters (docs/product/console.md#audit-log). */
function withFilters(command: Command): Command {
  return command
    .option('--actor <actor>', 'actor user id or name (the username at the time, or cli / system)')
    .option('--action <action>', 'exact action, or a prefix ending in * (e.g. "group.*")')
    .option('--target <target>', 'target id or name')
    .addOption(new Option('--outcome <outcome>', 'only this outcome').choices(outcomes))
    .option('--since <time>', 'from this time on: ISO 8601 (2026-05-01, 2026-05-01T09:00Z) or ago (30m, 24h, 7d)')
    .option('--until <time>', 'before this time (same forms as --since)');
}

function filterQuery(options: FilterOptions, now = Date.now()): Omit<AuditQuery, 'cursor' | 'limit'> {
  return {
    actor: options.actor,
    action: options.action,
    target: options.target,
    outcome: options.outcome,
    since: options.since === undefined ? undefined : parseTime(options.since, '--since', now),
    until: options.until === undefined ? undefined : parseTime(options.until, '--until', now),
  };
}

const agoUnits: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 time or an age like `24h`, as the ISO 8601 UTC timestamp the API takes. */
export function parseTime(value: string, flag: string, now = Date.now()): string {
  const ago = /^(\d{1,6})([smhd])$/.exec(value.trim());
  if (ago) return new Date(now - Number(ago[1]) * (agoUnits[ago[2] ?? 's'] ?? 1_000)).toISOString();
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(parsed)) throw usageError(`${flag} takes an ISO 8601 time (2026-05-01T09:00:00Z) or an age (30m, 24h, 7d).`);
  return new Date(parsed).toISOString();
}

/**
 * `roster audit list|export` (docs/product/console.md#audit-log, docs/product/running.md#command-line): client
 * subcommands of the `audit` command whose `verify` works on the database directly (maintenance-commands.ts). These go
 * through the API and need organization.audit_logs.view.
 */
export function registerAuditClientCommands(program: Command, out: Output): void {
  const audit = program.commands.find((command) => command.name() === 'audit') ?? program.command('audit');
  audit.description('Audit log: list and export through the API; verify on the database (server side)');

  withFilters(audit.command('list').description('Audit events, newest first (needs organization.audit_logs.view)'))
    .option('--limit <n>', 'at most this many events (default 50)', positiveInteger)
    .option('--all', 'every matching event, page after page')
    .option('--cursor <cursor>', 'continue after a previous page (its nextCursor)')
    .action(async (options: FilterOptions & { limit?: number; all?: boolean; cursor?: string }, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const max = options.all ? Infinity : (options.limit ?? 50);
      const { items, nextCursor } = await listEvents(client, filterQuery(options), options.cursor, max);
      out.result({ items, nextCursor }, () =>
        items.length === 0
          ? 'No events match.'
          : formatTable(
              ['AT', 'ACTOR', 'VIA', 'ACTION', 'TARGET', 'OUTCOME'],
              items.map((e) => [e.at, e.actor.name ?? e.actor.type, e.via, e.action, targetLabel(e.target), e.outcome]),
            ),
      );
      if (nextCursor && !out.json) out.note(`More events match: add --cursor ${nextCursor} for the next page, or --all.`);
    });

  withFilters(audit.command('export').description('Export the matching events as JSON Lines or CSV, streamed to stdout or a file'))
    .addOption(new Option('--format <format>', 'jsonl (one event per line) or csv (header row first)').choices(formats).default('jsonl'))
    .option('-o, --output <file>', 'write to this file (mode 0600) instead of stdout')
    .action(async (options: FilterOptions & { format: (typeof formats)[number]; output?: string }, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const accept = options.format === 'csv' ? 'text/csv' : 'application/x-ndjson';
      const body = await dataOf(
        client.GET('/audit/export', {
          params: { query: { format: options.format, ...filterQuery(options) } },
          headers: { accept: `${accept}, application/problem+json` },
          // Read as it arrives, never held in memory whole.
          parseAs: 'stream',
        }),
      );
      if (!body) throw new CliError('empty_response', 'The server sent no body.');
      const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
      if (!options.output) return streamToStdout(source);
      const bytes = await streamToFile(source, options.output);
      out.result({ file: options.output, format: options.format, bytes }, () => `Wrote ${options.output} (${bytes} bytes).`);
    });
}

/** Follows `nextCursor` until `max` events, and keeps the cursor of the page after them. */
async function listEvents(
  client: RosterClient,
  filters: Omit<AuditQuery, 'cursor' | 'limit'>,
  cursor: string | undefined,
  max: number,
): Promise<AuditList> {
  const items: AuditEvent[] = [];
  let next: string | null = cursor ?? null;
  do {
    const page = await dataOf(
      client.GET('/audit', { params: { query: { ...filters, cursor: next ?? undefined, limit: Math.min(500, max - items.length) } } }),
    );
    items.push(...page.items);
    next = page.nextCursor;
  } while (next && items.length < max);
  return { items, nextCursor: next };
}

function targetLabel(target: AuditEvent['target']): string | null {
  return target ? `${target.type} ${target.name ?? target.id ?? ''}`.trim() : null;
}

const interrupted = (error: unknown) =>
  new CliError('export_interrupted', `The export stopped before the end: ${(error as Error).message}. Run it again.`);

async function streamToStdout(source: Readable): Promise<void> {
  try {
    await pipeline(source, process.stdout, { end: false });
  } catch (error) {
    // A reader that stops early (`| head`) is not an error of the export.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw interrupted(error);
  }
}

/** Writes under a temporary name and renames when complete, so an interrupted export never leaves a partial file. */
async function streamToFile(source: Readable, file: string): Promise<number> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  let bytes = 0;
  async function* counted(chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      yield chunk;
    }
  }
  try {
    await pipeline(source, counted, fs.createWriteStream(temporary, { mode: 0o600, flags: 'wx' }));
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const { syscall, message } = error as NodeJS.ErrnoException;
    if (syscall) throw new CliError('write_failed', `Could not write ${file}: ${message}`);
    throw interrupted(error);
  }
  return bytes;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw usageError('--limit must be a whole number of at least 1.');
  return n;
}
