import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { DomainError } from '../domain/errors.js';
import { MigrationError } from '../storage/migrate.js';
import { registerServerCommands } from './commands/server-commands.js';
import { createOutput, exitCodes } from './output.js';

/** The `roster` command line (SPEC §9). Returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = createOutput(json);
  const program = new Command('roster')
    .description('Roster: people, roles and access for your delivery platform')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    .showHelpAfterError();
  registerServerCommands(program, out);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? exitCodes.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof ConfigError) {
      out.error('invalid_configuration', error.message);
      return exitCodes.error;
    }
    if (error instanceof MigrationError) {
      out.error('migration_failed', `${error.message}\nRoster did not start.`);
      return exitCodes.error;
    }
    if (error instanceof DomainError) {
      out.error(error.code, error.message);
      return error.status === 403 ? exitCodes.forbidden : exitCodes.error;
    }
    out.error('internal_error', error instanceof Error ? error.message : String(error));
    return exitCodes.error;
  }
}
