import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { recordAuditEvent } from '../../domain/audit/record-audit-event.js';
import { type ChainHead, verifyAuditChain } from '../../domain/audit/verify-audit-chain.js';
import { type OperationContext, offlineContext } from '../../domain/context.js';
import { checkWebAuthnDomain } from '../../domain/mfa/check-webauthn-domain.js';
import { checkSecretKey } from '../../domain/secrets/check-secret-key.js';
import { describeKeyForBackup } from '../../domain/secrets/describe-key-for-backup.js';
import { openServices } from '../../runtime.js';
import { explainChainBreak } from '../../shared/audit-chain.js';
import { backupDatabase, checkStorageIntegrity, restoreDatabase } from '../../storage/backup.js';
import { appliedMigrations, migrateToLatest, pendingMigrations } from '../../storage/migrate.js';
import { migrations } from '../../storage/migrations/index.js';
import { missingAppendOnlyTriggers } from '../../storage/queries/audit-chain.js';
import { endAllSessions } from '../../storage/queries/sessions.js';
import { countActiveOwners } from '../../storage/queries/users.js';
import { confirm } from '../client/prompt.js';
import { CliError, usageError } from '../errors.js';
import { exitCodes, formatTable, type Output } from '../output.js';

/** Opens the configured database WITHOUT applying migrations (backup and doctor must not change the schema). */
async function withUnmigratedContext<T>(work: (ctx: OperationContext) => Promise<T>): Promise<T> {
  const services = await openServices(loadConfig(), { migrate: false });
  try {
    return await work(offlineContext(services, 'cli'));
  } finally {
    await services.database.destroy();
  }
}

interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** `<seq>:<hash>` as printed by `roster audit verify` and written to the server log. */
function parseExpectedHead(value: string): ChainHead {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw usageError('--expect-head takes <seq>:<hash> as printed by "roster audit verify" or logged as "audit chain head".');
  }
  return { seq: Number(match[1]), hash: match[2].toLowerCase() };
}

/**
 * Server-side maintenance on the configured database (docs/product/audit-log.md#verification,
 * docs/product/running.md#command-line): `roster audit verify`, `roster backup`, `roster restore`, `roster doctor`.
 */
export function registerMaintenanceCommands(program: Command, out: Output): void {
  const audit = program.commands.find((command) => command.name() === 'audit') ?? program.command('audit');
  audit
    .command('verify')
    .description("Recompute the audit log's hash chain on the database, report the first broken event and print the head")
    .option('--expect-head <seq:hash>', 'a head recorded earlier (server log, earlier verify): fail unless it is still in the chain')
    .action(async (options: { expectHead?: string }) => {
      const expectHead = options.expectHead === undefined ? undefined : parseExpectedHead(options.expectHead);
      const result = await withUnmigratedContext(async (ctx) => {
        const pending = await pendingMigrations(ctx.database);
        if (pending.length > 0) {
          throw new CliError('migrations_pending', `The database needs migrations first (${pending.join(', ')}): run "roster migrate".`);
        }
        return verifyAuditChain(ctx.database, { expectHead });
      });
      const head = result.head ? `${result.head.seq}:${result.head.hash}` : null;
      out.result({ ...result, expectedHead: expectHead ?? null }, () =>
        result.valid
          ? [
              `The audit log is intact: ${result.checked} events checked.`,
              expectHead ? `The expected head #${expectHead.seq} is in the chain, unchanged.` : '',
              head ? `Head: ${head}` : 'The log is empty.',
              head ? `Keep the head; later, "roster audit verify --expect-head ${head}" proves nothing up to it was cut.` : '',
            ]
              .filter(Boolean)
              .join('\n')
          : [
              `The audit log is BROKEN: ${explainChainBreak(result)}`,
              `${result.checked} events checked; the last intact one is ${head ? `#${head}` : 'none'}.`,
            ].join('\n'),
      );
      if (!result.valid) process.exitCode = exitCodes.error;
    });

  program
    .command('backup <file>')
    .description('Write a consistent backup of the database to a new file (SQLite: VACUUM INTO; PostgreSQL: pg_dump)')
    .action(async (file: string) => {
      const config = loadConfig();
      const result = await withUnmigratedContext(async (ctx) => {
        const written = await backupDatabase(ctx.database, config.database, file);
        // Recorded after the snapshot, so the backup does not contain its own event.
        await ctx.database.transact((trx) =>
          recordAuditEvent(ctx, trx, {
            action: 'instance.backup_created',
            target: { type: 'instance', id: null, name: null },
            details: { file: written.file, bytes: written.bytes, format: written.format },
          }),
        );
        return { ...written, secretKey: describeKeyForBackup(ctx) };
      });
      // The key is deliberately not in the backup (docs/product/security-settings.md#secrets-the-server-reads-back).
      out.note(result.secretKey.warning);
      out.result(result, () => `Backup written to ${result.file} (${result.bytes} bytes, ${result.format}).`);
    });

  program
    .command('restore <file>')
    .description('Replace the whole database with a backup; applies pending migrations and ends every session')
    .option('--yes', 'do not ask for confirmation')
    .action(async (file: string, options: { yes?: boolean }) => {
      const config = loadConfig();
      if (!options.yes) {
        if (!process.stdin.isTTY)
          throw usageError('restore replaces every account, role and audit event with the backup; pass --yes to confirm.');
        const target = config.database.kind === 'sqlite' ? config.database.file : 'the PostgreSQL database';
        if (!(await confirm(`Replace everything in ${target} with ${path.resolve(file)}? Stop every Roster server first.`))) {
          throw usageError('Restore cancelled.');
        }
      }
      const restored = await restoreDatabase(config.database, file);
      const services = await openServices(config, { migrate: false });
      try {
        const ctx: OperationContext = offlineContext(services, 'cli');
        const applied = await migrateToLatest(services.database);
        // The restored database may need another key than the configured one; say so now rather than at the next start.
        if (services.secrets.status.state === 'unusable') out.note(`Warning: ${services.secrets.status.detail}`);
        const sessionsEnded = await services.database.transact(async (trx) => {
          const ended = await endAllSessions(trx);
          await recordAuditEvent(ctx, trx, {
            action: 'instance.restored',
            target: { type: 'instance', id: null, name: null },
            details: { file: restored.file, format: restored.format, sessionsEnded: ended, migrationsApplied: applied },
          });
          return ended;
        });
        const result = { ...restored, migrationsApplied: applied, sessionsEnded };
        out.result(result, () =>
          [
            `Restored ${restored.file}.`,
            applied.length ? `Applied migrations: ${applied.join(', ')}.` : 'The schema is up to date.',
            `Ended ${sessionsEnded} session(s); everyone logs in again. API tokens in the backup work again.`,
          ].join('\n'),
        );
      } finally {
        await services.database.destroy();
      }
    });

  program
    .command('doctor')
    .description('Check the database: storage integrity, migrations, at least one active Owner, audit chain and its triggers, secret key')
    .action(async () => {
      const checks = await withUnmigratedContext(async (ctx) => {
        const secretKey = checkSecretKey(ctx);
        return [...(await runDoctor(ctx)), { name: 'secret key', ok: secretKey.ok, detail: secretKey.detail }];
      });
      const problems = checks.filter((c) => !c.ok);
      out.result({ healthy: problems.length === 0, checks, problems: problems.map((p) => `${p.name}: ${p.detail}`) }, () =>
        [
          formatTable(
            ['CHECK', 'RESULT', 'DETAIL'],
            checks.map((c) => [c.name, c.ok ? 'ok' : 'PROBLEM', c.detail]),
          ),
          '',
          problems.length === 0
            ? 'No problems found.'
            : `${problems.length} problem(s):\n${problems.map((p) => `  - ${p.name}: ${p.detail}`).join('\n')}`,
        ].join('\n'),
      );
      if (problems.length > 0) process.exitCode = exitCodes.error;
    });
}

async function runDoctor(ctx: OperationContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let storage: string[];
  try {
    storage = await checkStorageIntegrity(ctx.database);
  } catch (error) {
    // Nothing else can be checked; say why instead of failing with a stack of driver errors.
    return [
      { name: 'storage', ok: false, detail: `the database is not usable: ${error instanceof Error ? error.message : String(error)}` },
    ];
  }
  checks.push({
    name: 'storage',
    ok: storage.length === 0,
    detail:
      storage.length === 0
        ? ctx.database.name === 'sqlite'
          ? 'integrity_check and foreign_key_check passed'
          : 'all indexes valid'
        : storage.join('; '),
  });

  const pending = await pendingMigrations(ctx.database);
  const schemaReady = pending.length < migrations.length;
  const known = new Set(migrations.map((m) => m.name));
  const applied = await appliedMigrations(ctx.database);
  const unknown = applied.filter((name) => !known.has(name));
  checks.push({
    name: 'migrations',
    ok: pending.length === 0 && unknown.length === 0,
    detail: [
      pending.length ? `pending: ${pending.join(', ')} (run "roster migrate")` : `${applied.length} applied`,
      unknown.length ? `applied by a newer Roster: ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
  if (!schemaReady) {
    for (const name of ['owners', 'audit chain', 'audit triggers']) {
      checks.push({ name, ok: false, detail: 'skipped: the database has no Roster schema' });
    }
    return checks;
  }

  const ownerCount = await countActiveOwners(ctx.database.db);
  checks.push({
    name: 'owners',
    ok: ownerCount >= 1,
    detail: ownerCount >= 1 ? `${ownerCount} active Owner(s)` : 'no active Owner; create one with "roster admin create-owner"',
  });

  if (pending.length > 0) {
    // The chain's head record and its triggers come with the migrations (0005): check them once they are applied.
    for (const name of ['audit chain', 'audit triggers']) checks.push({ name, ok: false, detail: 'skipped: migrations pending' });
    return checks;
  }
  const chain = await verifyAuditChain(ctx.database);
  checks.push({
    name: 'audit chain',
    ok: chain.valid,
    detail: chain.valid
      ? `${chain.checked} events verified${chain.head ? `, head ${chain.head.seq}:${chain.head.hash}` : ''}`
      : `${chain.brokenAt?.reason}: ${explainChainBreak(chain)}`,
  });
  const missing = await missingAppendOnlyTriggers(ctx.database);
  checks.push({
    name: 'audit triggers',
    ok: missing.length === 0,
    detail:
      missing.length === 0
        ? 'UPDATE and DELETE refused on the audit log; its head only moves forward'
        : `missing or disabled: ${missing.join(', ')}; the log can be changed without Roster (see docs/security.md)`,
  });
  checks.push({ name: 'security keys', ...(await checkWebAuthnDomain(ctx)) });
  return checks;
}
