import path from 'node:path';
import type { Command } from 'commander';
import type { ChainHead } from '../../domain/audit/verify-audit-chain.js';
import type { OperationContext } from '../../domain/context.js';
import { explainChainBreak } from '../../shared/audit-chain.js';
import { confirm } from '../client/prompt.js';
import { CliError, usageError } from '../errors.js';
import { exitCodes, formatTable, type Output } from '../output.js';

// The server side (database, domain) is imported by the action that needs it, not when `roster` starts: a client
// command or `--help` then loads the command line only (docs/decisions/0022-test-run-speed.md).

/** Opens the configured database WITHOUT applying migrations (backup and doctor must not change the schema). */
async function withUnmigratedContext<T>(work: (ctx: OperationContext) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { offlineContext }, { openServices }] = await Promise.all([
    import('../../config/config.js'),
    import('../../domain/context.js'),
    import('../../runtime.js'),
  ]);
  const services = await openServices(loadConfig(), { migrate: false });
  try {
    return await work(offlineContext(services, 'cli'));
  } finally {
    await services.database.destroy();
  }
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
      const [{ verifyAuditChain }, { pendingMigrations }] = await Promise.all([
        import('../../domain/audit/verify-audit-chain.js'),
        import('../../storage/migrate.js'),
      ]);
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
      const [{ loadConfig }, { recordAuditEvent }, { describeKeyForBackup }, { backupDatabase }] = await Promise.all([
        import('../../config/config.js'),
        import('../../domain/audit/record-audit-event.js'),
        import('../../domain/secrets/describe-key-for-backup.js'),
        import('../../storage/backup.js'),
      ]);
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
      const [
        { loadConfig },
        { recordAuditEvent },
        { offlineContext },
        { openServices },
        { restoreDatabase },
        { migrateToLatest },
        { endAllSessions },
      ] = await Promise.all([
        import('../../config/config.js'),
        import('../../domain/audit/record-audit-event.js'),
        import('../../domain/context.js'),
        import('../../runtime.js'),
        import('../../storage/backup.js'),
        import('../../storage/migrate.js'),
        import('../../storage/queries/sessions.js'),
      ]);
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
      const [{ runDoctor }, { checkSecretKey }] = await Promise.all([
        import('./doctor-checks.js'),
        import('../../domain/secrets/check-secret-key.js'),
      ]);
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
