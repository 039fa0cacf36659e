import type { Command } from 'commander';
import { maxSeedCount } from '../../domain/people/seed-limits.js';
import { usageError } from '../errors.js';
import type { Output } from '../output.js';
import { printSecretNotices } from './secrets-commands.js';

interface SeedOptions {
  people?: string;
  projects?: string;
  groups?: string;
  grants?: string;
  memberships?: string;
  seed: string;
}

const graphParts = ['projects', 'groups', 'memberships', 'grants'] as const;

function count(flag: string, value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value) || Number(value) > maxSeedCount) throw usageError(`--${flag} takes a whole number from 0 to ${maxSeedCount}.`);
  return Number(value);
}

/**
 * `roster admin seed` (docs/product/running.md#command-line): synthetic people, and a company-sized access graph
 * (projects, groups, memberships, grants) drawn from them, for demos and benchmarks; audited as `cli`.
 */
export function registerSeedCommand(program: Command, out: Output): void {
  const admin = program.commands.find((command) => command.name() === 'admin') ?? program.command('admin');
  admin
    .command('seed')
    .description(
      'Add synthetic people (seeded = 1; they share a random password nobody knows) and an access graph drawn from the active people',
    )
    .option('--people <n>', `people to add (0 to ${maxSeedCount})`)
    .option('--projects <n>', 'projects to add, each owned by an active person')
    .option('--groups <n>', 'groups to add')
    .option('--memberships <n>', 'group memberships to draw (a few large groups, many small ones)')
    .option('--grants <n>', 'project grants to draw (70 % to groups, the rest to people)')
    .option('--seed <n>', 'the same seed on the same people draws the same graph', '1')
    .addHelpText(
      'after',
      '\nExample, the company-sized data set of the benchmark:\n' +
        '  roster admin seed --people 1000000 --projects 20000 --groups 2000 --memberships 300000 --grants 200000 --seed 42',
    )
    .action(async (options: SeedOptions) => {
      const people = count('people', options.people);
      const graph = Object.fromEntries(graphParts.map((part) => [part, count(part, options[part])])) as Record<
        (typeof graphParts)[number],
        number
      >;
      if (!/^\d+$/.test(options.seed) || Number(options.seed) >= 2 ** 32)
        throw usageError('--seed takes a whole number from 0 to 4294967295.');
      if (people === 0 && graphParts.every((part) => graph[part] === 0)) {
        throw usageError('Say what to add: --people, --projects, --groups, --memberships or --grants.');
      }
      // Imported here, not at the top: a client command or `--help` loads the command line only
      // (docs/decisions/0022-test-run-speed.md).
      const [{ loadConfig }, { hasActiveOwner }, { offlineContext }, { seedPeople }, { seedAccessGraph }, { openServices }] =
        await Promise.all([
          import('../../config/config.js'),
          import('../../domain/bootstrap/create-owner.js'),
          import('../../domain/context.js'),
          import('../../domain/people/seed-people.js'),
          import('../../domain/seed/seed-access-graph.js'),
          import('../../runtime.js'),
        ]);
      const services = await openServices(loadConfig());
      const started = performance.now();
      try {
        printSecretNotices(services, out);
        const ctx = offlineContext(services, 'cli');
        const lines: string[] = [];
        let peopleResult: { created: number; skipped: number } | null = null;
        if (people > 0) {
          let reported = 0;
          peopleResult = await seedPeople(ctx, {
            count: people,
            onProgress: (done) => {
              if (!out.json && people >= 100_000 && done - reported >= 100_000) {
                reported = done;
                out.note(`… ${done} of ${people} people`);
              }
            },
          });
          lines.push(`Seeded ${peopleResult.created} people.`);
          if (peopleResult.skipped > 0) lines.push(`Skipped ${peopleResult.skipped} generated names that existing accounts already hold.`);
        }
        let graphResult: Awaited<ReturnType<typeof seedAccessGraph>> | null = null;
        if (graphParts.some((part) => graph[part] > 0)) {
          graphResult = await seedAccessGraph(ctx, {
            ...graph,
            seed: Number(options.seed),
            onProgress: (what, done, total) => {
              if (!out.json && total >= 100_000 && done % 100_000 === 0) out.note(`… ${done} of ${total} ${what}`);
            },
          });
          const made = graphParts.map((part) => `${graphResult?.[part].created} ${part}`).join(', ');
          lines.push(`Seeded ${made} (seed ${options.seed}).`);
          const skipped = graphParts.filter((part) => (graphResult?.[part].skipped ?? 0) > 0);
          if (skipped.length > 0) {
            lines.push(
              `Skipped ${skipped.map((part) => `${graphResult?.[part].skipped} ${part}`).join(', ')} that existing rows already hold (a name in use, a membership or grant drawn twice).`,
            );
          }
        }
        const seconds = (performance.now() - started) / 1000;
        // Seeded accounts share a password nobody knows; without an Owner nobody could manage them. The seed does not
        // make one itself (its output is often thrown away): the next `roster serve` does, and prints it.
        const ownerless = !(await hasActiveOwner(services.database.db));
        const json = {
          ...(peopleResult ?? { created: 0, skipped: 0 }),
          ...(graphResult ? { graph: graphResult, seed: Number(options.seed) } : {}),
          seconds: Math.round(seconds * 10) / 10,
          ownerExists: !ownerless,
        };
        out.result(json, () =>
          [
            ...lines,
            `Took ${seconds.toFixed(1)} s.`,
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
