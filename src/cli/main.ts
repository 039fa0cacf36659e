import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { DomainError } from '../domain/errors.js';
import { SecretKeyError } from '../domain/secrets/secret-key-error.js';
import { BackupError } from '../storage/backup-error.js';
import { MigrationError } from '../storage/migration-error.js';
import { ApiError } from './client/api-client.js';
import { cliVersion } from './client/version.js';
import { registerAccessCommands } from './commands/access-commands.js';
import { registerAuditClientCommands } from './commands/audit-client-commands.js';
import { registerAuthorizeCommands } from './commands/authorize-commands.js';
import { registerConnectCommands } from './commands/connect-commands.js';
import { registerGroupsCommands } from './commands/groups-commands.js';
import { registerMaintenanceCommands } from './commands/maintenance-commands.js';
import { registerMeCommands } from './commands/me-commands.js';
import { registerOidcCommands } from './commands/oidc-commands.js';
import { registerPeopleCommands } from './commands/people-commands.js';
import { registerProjectsCommands } from './commands/projects-commands.js';
import { registerRolesCommands } from './commands/roles-commands.js';
import { registerSecretsCommands } from './commands/secrets-commands.js';
import { registerSeedCommand } from './commands/seed-command.js';
import { registerServerCommands } from './commands/server-commands.js';
import { registerServiceAccountsCommands } from './commands/service-accounts-commands.js';
import { registerTokenRevokeCommand } from './commands/token-revoke-command.js';
import { CliError } from './errors.js';
import { createOutput, exitCodes, type Output } from './output.js';

/** The `roster` command line (docs/product/running.md#command-line). Returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = createOutput(json);
  const program = new Command('roster')
    .description('Roster: people, roles and access for your delivery platform')
    .version(cliVersion(), '--version', 'print the version')
    .option('--json', 'print machine-readable JSON')
    .option('--context <name>', 'client commands: use this stored context instead of the current one')
    .exitOverride()
    .showHelpAfterError();
  registerServerCommands(program, out);
  registerSeedCommand(program, out);
  registerMaintenanceCommands(program, out);
  registerSecretsCommands(program, out);
  registerOidcCommands(program, out);
  registerConnectCommands(program, out);
  registerMeCommands(program, out);
  registerPeopleCommands(program, out);
  registerRolesCommands(program, out);
  registerProjectsCommands(program, out);
  registerAccessCommands(program, out);
  registerGroupsCommands(program, out);
  registerServiceAccountsCommands(program, out);
  registerAuthorizeCommands(program, out);
  registerAuditClientCommands(program, out);
  registerTokenRevokeCommand(program, out);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? exitCodes.ok);
  } catch (error) {
    return reportError(error, out);
  }
}

/** Prints the problem's code and message and chooses the exit code: 1 error, 2 usage, 3 permission denied. */
function reportError(error: unknown, out: Output): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof ApiError) return reportApiError(error, out);
  if (error instanceof CliError) {
    out.error(error.code, error.message);
    return error.exitCode;
  }
  if (error instanceof BackupError) {
    out.error(error.code, error.message);
    return exitCodes.error;
  }
  if (error instanceof ConfigError) {
    out.error('invalid_configuration', error.message);
    return exitCodes.error;
  }
  if (error instanceof SecretKeyError) {
    out.error(error.code, `${error.message}\nRoster stopped: nothing was served and no secret was written.`);
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

function reportApiError(error: ApiError, out: Output): number {
  if (error.status === 401 && error.contextName !== null) {
    out.error(error.code, `The stored token for context ${error.contextName} is no longer valid; run roster connect again.`);
    return exitCodes.error;
  }
  const lines = [error.message];
  const fieldErrors = Array.isArray(error.problem.errors) ? (error.problem.errors as Array<{ field?: string; message?: string }>) : [];
  for (const field of fieldErrors) lines.push(`  ${field.field ?? ''}: ${field.message ?? ''}`);
  // R4: the projects to transfer before a removal (docs/product/api.md#errors, user_owns_projects).
  const projects = Array.isArray(error.problem.projects) ? (error.problem.projects as Array<{ id?: string; name?: string }>) : [];
  if (projects.length > 0) {
    lines.push('Projects to transfer first (roster projects transfer <project> <person>):');
    for (const project of projects) lines.push(`  - ${project.name ?? ''} (${project.id ?? ''})`);
  }
  out.error(error.code, lines.join('\n'));
  return error.status === 403 ? exitCodes.forbidden : exitCodes.error;
}
