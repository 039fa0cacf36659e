import type { Command } from 'commander';
import { type Config, loadConfig } from '../../config/config.js';
import { createOwner } from '../../domain/bootstrap/create-owner.js';
import { resetMfaOffline, resetPasswordOffline, unlockOffline } from '../../domain/bootstrap/reset-password-offline.js';
import { type OperationContext, offlineContext, type Services } from '../../domain/context.js';
import { openServices } from '../../runtime.js';
import { serve } from '../../server/server.js';
import { openDatabase } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrate.js';
import type { Output } from '../output.js';
import { printSecretNotices } from './secrets-commands.js';

/** Runs `work` against the configured database, audited as `cli`, and always closes it. */
async function withCliContext<T>(out: Output, work: (ctx: OperationContext) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const services: Services = await openServices(config);
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
      const services = await openServices(loadConfig());
      await serve(services, (line) => out.line(line));
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
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
      const reset = await withCliContext(out, (ctx) => resetPasswordOffline(ctx, user));
      out.result(reset, () => [`User: ${reset.username}`, `Temporary password: ${reset.temporaryPassword}`].join('\n'));
    });
  admin
    .command('unlock <user>')
    .description('Clear the login lock of an account')
    .action(async (user: string) => {
      const unlocked = await withCliContext(out, (ctx) => unlockOffline(ctx, user));
      out.result(unlocked, () => `Unlocked ${unlocked.username}.`);
    });
  admin
    .command('reset-2fa <user>')
    .description('Remove every second factor of an account (authenticator app, security keys, passkeys, recovery codes); ends its sessions')
    .action(async (user: string) => {
      const reset = await withCliContext(out, (ctx) => resetMfaOffline(ctx, user));
      out.result(
        reset,
        () =>
          `Reset two-factor authentication of ${reset.username}: ${reset.factorsRemoved} factor(s) removed, ${reset.sessionsEnded} session(s) ended.`,
      );
    });
}
