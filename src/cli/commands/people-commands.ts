import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { parse } from 'csv-parse/sync';
import { completed, dataOf } from '../../shared/api/api-calls.js';
import type {
  AccountRequest,
  AccountResult,
  CreateAccountsBody,
  CreateAccountsResponse,
  PeopleFilter,
  Person,
} from '../../shared/api/people.js';
import { choiceList, type OrganizationRole as Role, organizationRoleIds as roles } from '../../shared/permissions.js';
import type { RosterClient } from '../client/api-client.js';
import { openClient } from '../client/open-client.js';
import { fetchAll, resolvePerson } from '../client/resolve.js';
import { CliError, usageError } from '../errors.js';
import { exitCodes, formatTable, type Output } from '../output.js';

type MfaState = NonNullable<PeopleFilter['mfa']>;
const mfaStates: MfaState[] = ['enabled', 'disabled'];

/** The API takes at most this many accounts per request (docs/product/api.md). */
export const accountBatchSize = 500;

const clientOf = (command: Command): RosterClient => openClient(command.optsWithGlobals<{ context?: string }>().context);

function parseRole(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!(roles as readonly string[]).includes(role)) throw usageError(`"${value}" is not a role; use ${choiceList(roles)}.`);
  return role as Role;
}

/**
 * `roster people …` (docs/product/console.md#people, docs/product/running.md#command-line): list, add (one by one or
 * from CSV), role, reset-password, remove, export.
 */
export function registerPeopleCommands(program: Command, out: Output): void {
  const people = program.command('people').description('People on the server (needs organization.people.view / .manage)');

  people
    .command('list')
    .description('List people (username, email, role, status, two-factor authentication, last seen)')
    .option('--query <text>', 'match username or email (prefix first, then substring)')
    .addOption(new Option('--role <role>', 'only this role').choices(roles))
    .addOption(new Option('--mfa <state>', 'only people with (enabled) or without (disabled) two-factor authentication').choices(mfaStates))
    .option('--removed', 'list removed accounts instead of active ones')
    .option('--limit <n>', 'at most this many people (default 50)', (v) => positiveInteger(v, '--limit'))
    .option('--all', 'every matching person, page after page')
    .action(
      async (
        options: { query?: string; role?: Role; mfa?: MfaState; removed?: boolean; limit?: number; all?: boolean },
        command: Command,
      ) => {
        const max = options.all ? Infinity : (options.limit ?? 50);
        const client = clientOf(command);
        const { query, role, mfa } = options;
        const status = options.removed ? 'removed' : undefined;
        const items = await fetchAll(
          (cursor, limit) => dataOf(client.GET('/people', { params: { query: { query, role, mfa, status, cursor, limit } } })),
          max,
        );
        out.result({ items }, () =>
          items.length === 0
            ? 'Nobody matches.'
            : formatTable(
                ['USERNAME', 'EMAIL', 'ROLE', 'STATUS', '2FA', 'LAST SEEN'],
                items.map((p) => [p.username, p.email, roleLabel(p), p.status, p.mfaEnabled ? 'on' : 'off', p.lastSeenAt]),
              ),
        );
      },
    );

  people
    .command('add [emails...]')
    .description('Create accounts with temporary passwords (shown once); or --csv <file> with email,username,role rows')
    .option('--username <name>', 'username of the single account (default: inferred from the email)')
    .addOption(new Option('--role <role>', 'role of the new accounts (default member)').choices(roles))
    .option('--csv <file>', 'CSV file of email,username,role (header row optional; username and role may be empty)')
    .action(async (emails: string[], options: { username?: string; role?: Role; csv?: string }, command: Command) => {
      if (options.csv && emails.length > 0) throw usageError('Give either email addresses or --csv <file>, not both.');
      if (options.username && emails.length !== 1) throw usageError('--username needs exactly one email address.');
      const rows: Array<AccountRequest | AccountResult> = options.csv
        ? readAccountsCsv(options.csv, options.role)
        : emails.map((email) => ({
            email,
            ...(options.username ? { username: options.username } : {}),
            ...(options.role ? { role: options.role } : {}),
          }));
      if (rows.length === 0) throw usageError('Nothing to add: give email addresses or --csv <file>.');
      const client = clientOf(command);
      const results = await createAccounts((body) => dataOf(client.POST('/people', { body })), rows);
      out.result({ results }, () =>
        formatTable(
          ['EMAIL', 'RESULT', 'USERNAME', 'ROLE', 'TEMPORARY PASSWORD / ERROR'],
          results.map((r) => [
            r.email,
            r.status,
            r.user?.username,
            r.user?.role,
            r.temporaryPassword ?? (r.error ? `${r.error.message} (${r.error.code})` : ''),
          ]),
        ),
      );
      const created = results.filter((r) => r.status === 'created').length;
      if (!out.json && created > 0) out.note(`${created} account(s) created. The temporary passwords above are shown only once.`);
      // Partial success is fine for the server; a script still learns that something needs a look.
      if (results.some((r) => r.status === 'failed')) process.exitCode = exitCodes.error;
    });

  people
    .command('role <person> <role>')
    .description("Change a person's role (owner, admin or member); the person is a username or an email")
    .action(async (reference: string, roleInput: string, _options: unknown, command: Command) => {
      const role = parseRole(roleInput);
      const client = clientOf(command);
      const person = await resolvePerson(client, reference);
      const updated = await dataOf(client.PUT('/people/{id}/role', { params: { path: { id: person.id } }, body: { role } }));
      const result = { id: person.id, username: person.username, role: updated.role };
      out.result(result, () => `Role successfully assigned: ${person.username} is now ${result.role}.`);
    });

  people
    .command('reset-password <person>')
    .description('Give a person a new temporary password (shown once); ends their sessions')
    .option('--reset-token', 'also revoke their API token')
    .action(async (reference: string, options: { resetToken?: boolean }, command: Command) => {
      const client = clientOf(command);
      const person = await resolvePerson(client, reference);
      const reset = await dataOf(
        client.POST('/people/{id}/password-reset', {
          params: { path: { id: person.id } },
          body: options.resetToken ? { resetToken: true } : {},
        }),
      );
      out.result({ id: person.id, username: person.username, temporaryPassword: reset.temporaryPassword }, () =>
        [
          `User: ${person.username}`,
          `Temporary password: ${reset.temporaryPassword}`,
          'It is shown only once and must be changed at first login.',
        ].join('\n'),
      );
    });

  people
    .command('remove <person>')
    .description('Remove a person: ends their sessions, revokes their token and access; their projects must be transferred first')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const person = await resolvePerson(client, reference);
      await completed(client.DELETE('/people/{id}', { params: { path: { id: person.id } } }));
      out.result({ id: person.id, username: person.username, removed: true }, () => `Removed ${person.username}.`);
    });

  people
    .command('export')
    .description('Export people as CSV (username, email, role, groups, status, created, last seen); --json gives objects')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (options: { output?: string }, command: Command) => {
      const csv = await dataOf(
        clientOf(command).GET('/people/export', { parseAs: 'text', headers: { accept: 'text/csv, application/problem+json' } }),
      );
      const body = out.json ? `${JSON.stringify(parse(csv, { columns: true, bom: true, skip_empty_lines: true }), null, 2)}\n` : csv;
      if (options.output) {
        fs.writeFileSync(options.output, body, { mode: 0o600 });
        out.note(`Wrote ${options.output}.`);
      } else {
        process.stdout.write(body);
      }
    });
}

function roleLabel(person: Person): string {
  return person.effectiveRole && person.effectiveRole !== person.role ? `${person.role} (effective ${person.effectiveRole})` : person.role;
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw usageError(`${flag} must be a whole number of at least 1.`);
  return n;
}

/**
 * Reads `email,username,role` rows (docs/product/console.md#people). A first row whose first cell is "email" is a
 * header. Rows that cannot be sent (no email, unknown role) become failed results in place, so the output keeps the
 * file's order.
 */
export function readAccountsCsv(file: string, defaultRole?: Role): Array<AccountRequest | AccountResult> {
  let records: string[][];
  try {
    records = parse(fs.readFileSync(file), { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw new CliError('invalid_csv', `Could not read ${file}: ${(error as Error).message}`);
  }
  if (records[0]?.[0]?.toLowerCase() === 'email') records = records.slice(1);
  return records
    .filter((record) => record.some((cell) => cell !== ''))
    .map(([email = '', username = '', role = '']) => {
      if (!email) return { email, status: 'failed' as const, error: { code: 'invalid_email', message: 'The email column is empty.' } };
      const roleValue = role.toLowerCase() || defaultRole;
      if (roleValue && !(roles as readonly string[]).includes(roleValue)) {
        return {
          email,
          status: 'failed' as const,
          error: { code: 'invalid_role', message: `"${role}" is not a role; use owner, admin or member.` },
        };
      }
      return { email, ...(username ? { username } : {}), ...(roleValue ? { role: roleValue as Role } : {}) };
    });
}

/**
 * Sends the sendable rows in batches of 500 (the API's limit) through `send` (`POST /people`) and merges the answers
 * back in input order. On a terminal, a progress bar on stderr shows how far a big file has got.
 */
export async function createAccounts(
  send: (body: CreateAccountsBody) => Promise<CreateAccountsResponse>,
  rows: Array<AccountRequest | AccountResult>,
): Promise<AccountResult[]> {
  const results: Array<AccountResult | undefined> = rows.map((row) => ('status' in row ? row : undefined));
  const pending = rows.flatMap((row, index) => ('status' in row ? [] : [{ index, request: row }]));
  const progress = pending.length > accountBatchSize && process.stderr.isTTY ? progressBar(pending.length) : null;
  for (let start = 0; start < pending.length; start += accountBatchSize) {
    const batch = pending.slice(start, start + accountBatchSize);
    const response = await send({ accounts: batch.map((b) => b.request) });
    batch.forEach((entry, i) => {
      results[entry.index] = response.results[i] ?? {
        email: entry.request.email,
        status: 'failed',
        error: { code: 'no_result', message: 'The server sent no result for this row.' },
      };
    });
    progress?.update(start + batch.length);
  }
  progress?.done();
  return results.map(
    (r, i) => r ?? { email: (rows[i] as AccountRequest).email, status: 'failed', error: { code: 'no_result', message: 'Not sent.' } },
  );
}

function progressBar(total: number) {
  const width = 30;
  const draw = (done: number) => {
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} accounts`);
  };
  draw(0);
  return { update: draw, done: () => process.stderr.write('\n') };
}
