import type { Command } from 'commander';
import type { OperationContext, Services } from '../../domain/context.js';
import type { Output } from '../output.js';
import { printSecretNotices } from './secrets-commands.js';

// The server side (database, domain, the HTTP server) is imported by the action that needs it, not when `roster`
// starts: a client command or `--help` then loads the command line only (docs/decisions/0022-test-run-speed.md).

/** Runs `work` against the configured database, audited as `cli`, and always closes it. */
async function withCliContext<T>(out: Output, work: (ctx: OperationContext) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { offlineContext }, { openServices }] = await Promise.all([
    import('../../config/config.js'),
    import('../../domain/context.js'),
    import('../../runtime.js'),
  ]);
  const services: Services = await openServices(loadConfig());
  try {
    printSecretNotices(services, out);
    return await work(offlineContext(services, 'cli'));
  } finally {
    await services.database.destroy();
  }
}

/** Server-side commands: they work on the database directly (docs/product/running.md#command-line) and are audited with actor `cli`. */
export function registerServerCommands(program: Command, out: Output): void {
  program
    .command('serve', { isDefault: true })
    .description('Run the Roster server (applies migrations, creates the first Owner on an empty database)')
    .action(async () => {
      const [{ loadConfig }, { openServices }, { serve }] = await Promise.all([
        import('../../config/config.js'),
        import('../../runtime.js'),
        import('../../server/server.js'),
      ]);
      const services = await openServices(loadConfig());
      await serve(services, (line) => out.line(line));
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const [{ loadConfig }, { openDatabase }, { migrateToLatest }] = await Promise.all([
        import('../../config/config.js'),
        import('../../storage/database.js'),
        import('../../storage/migrate.js'),
      ]);
      const database = openDatabase(loadConfig().database);
      try {
        const applied = await migrateToLatest(database);
        out.result({ applied }, () => (applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.'));
      } finally {
        await database.destroy();
      }
    });

  const admin = program.command('admin').description('Offline administration on the configured database');
  admin
    .command('create-owner')
    .description('Create another Owner with a temporary password (printed once)')
    .requiredOption('--username <name>', 'username of the new Owner')
    .requiredOption('--email <email>', 'email of the new Owner')
    .action(async (options: { username: string; email: string }) => {
      const { createOwner } = await import('../../domain/bootstrap/create-owner.js');
      const created = await withCliContext(out, (ctx) => createOwner(ctx, options));
      if (!created) throw new Error('unreachable: createOwner without onlyIfNoOwner always creates');
      out.result({ user: created.user, temporaryPassword: created.temporaryPassword }, () =>
        [`Owner: ${created.user.username}`, `Temporary password: ${created.temporaryPassword}`].join('\n'),
      );
    });
  admin
    .command('reset-password <user>')
    .description('Give an account (username or email) a new temporary password; ends its sessions')
    .action(async (user: string) => {
      const { resetPasswordOffline } = await import('../../domain/bootstrap/reset-password-offline.js');
      const reset = await withCliContext(out, (ctx) => resetPasswordOffline(ctx, user));
      out.result(reset, () => [`User: ${reset.username}`, `Temporary password: ${reset.temporaryPassword}`].join('\n'));
    });
  admin
    .command('unlock <user>')
    .description('Clear the login lock of an account')
    .action(async (user: string) => {
      const { unlockOffline } = await import('../../domain/bootstrap/reset-password-offline.js');
      const unlocked = await withCliContext(out, (ctx) => unlockOffline(ctx, user));
      out.result(unlocked, () => `Unlocked ${unlocked.username}.`);
    });
  admin
    .command('reset-2fa <user>')
    .description('Remove every second factor of an account (authenticator app, security keys, passkeys, recovery codes); ends its sessions')
    .action(async (user: string) => {
      const { resetMfaOffline } = await import('../../domain/bootstrap/reset-password-offline.js');
      const reset = await withCliContext(out, (ctx) => resetMfaOffline(ctx, user));
      out.result(
        reset,
        () =>
          `Reset two-factor authentication of ${reset.username}: ${reset.factorsRemoved} factor(s) removed, ${reset.sessionsEnded} session(s) ended.`,
      );
    });
}
