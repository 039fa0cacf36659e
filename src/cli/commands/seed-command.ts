import type { Command } from 'commander';
import { maxSeedCount } from '../../domain/people/seed-limits.js';
import type { Output } from '../output.js';
import { printSecretNotices } from './secrets-commands.js';

/**
 * `roster admin seed --people <n>` (docs/product/running.md#command-line): synthetic accounts for demos and benchmarks,
 * audited as `cli`.
 */
export function registerSeedCommand(program: Command, out: Output): void {
  const admin = program.commands.find((command) => command.name() === 'admin') ?? program.command('admin');
  admin
    .command('seed')
    .description('Add <n> synthetic people (seeded = 1; they share a random password nobody knows)')
    .requiredOption('--people <n>', `how many people to add (1 to ${maxSeedCount})`)
    .action(async (options: { people: string }) => {
      const count = /^\d+$/.test(options.people) ? Number(options.people) : Number.NaN;
      // Imported here, not at the top: a client command or `--help` loads the command line only
      // (docs/decisions/0022-test-run-speed.md).
      const [{ loadConfig }, { hasActiveOwner }, { offlineContext }, { seedPeople }, { openServices }] = await Promise.all([
        import('../../config/config.js'),
        import('../../domain/bootstrap/create-owner.js'),
        import('../../domain/context.js'),
        import('../../domain/people/seed-people.js'),
        import('../../runtime.js'),
      ]);
      const services = await openServices(loadConfig());
      const started = performance.now();
      try {
        printSecretNotices(services, out);
        let reported = 0;
        const result = await seedPeople(offlineContext(services, 'cli'), {
          count,
          onProgress: (done) => {
            if (!out.json && count >= 100_000 && done - reported >= 100_000) {
              reported = done;
              out.note(`… ${done} of ${count}`);
            }
          },
        });
        const seconds = (performance.now() - started) / 1000;
        // Seeded accounts share a password nobody knows; without an Owner nobody could manage them. The seed does not
        // make one itself (its output is often thrown away): the next `roster serve` does, and prints it.
        const ownerless = !(await hasActiveOwner(services.database.db));
        out.result({ ...result, seconds: Math.round(seconds * 10) / 10, ownerExists: !ownerless }, () =>
          [
            `Seeded ${result.created} people in ${seconds.toFixed(1)} s.`,
            ...(result.skipped > 0 ? [`Skipped ${result.skipped} generated names that existing accounts already hold.`] : []),
            ...(ownerless
              ? [
                  'No Owner exists yet: the next `roster serve` (npm start) creates one and prints its temporary password, ' +
                    'or run `roster admin create-owner`.',
                ]
              : []),
          ].join('\n'),
        );
      } finally {
        await services.database.destroy();
      }
    });
}
