import { type Command, Option } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import type { PermissionScope } from '../../shared/permissions.js';
import { openClient } from '../client/open-client.js';
import { formatTable, type Output } from '../output.js';

/**
 * `roster roles list|show` (docs/product/roles-and-permissions.md#permissions, docs/product/console.md#roles): the
 * predefined roles and their permissions, read from the server.
 */
export function registerRolesCommands(program: Command, out: Output): void {
  const roles = program.command('roles').description('Predefined roles and their permissions');

  roles
    .command('list')
    .description('List roles with their number of permissions')
    .addOption(new Option('--scope <scope>', 'only instance or only project roles').choices(['organization', 'project']))
    .action(async (options: { scope?: PermissionScope }, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const { items } = await dataOf(client.GET('/roles', { params: { query: { scope: options.scope } } }));
      out.result({ items }, () =>
        formatTable(
          ['ID', 'NAME', 'SCOPE', 'PERMISSIONS', 'DESCRIPTION'],
          items.map((r) => [r.id, r.name, r.scope, r.permissions.length, r.description]),
        ),
      );
    });

  roles
    .command('show <role>')
    .description('Show one role (e.g. admin, project-contributor) and every permission it has')
    .action(async (id: string, _options: unknown, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const role = await dataOf(client.GET('/roles/{id}', { params: { path: { id } } }));
      out.result(role, () =>
        [
          `${role.name} (${role.scope} role, id ${role.id})`,
          role.description,
          '',
          `${role.permissions.length} permissions:`,
          ...role.permissions.map((permission) => `  ${permission}`),
        ].join('\n'),
      );
    });
}
