import { type Command, Option } from 'commander';
import { completed, dataOf } from '../../shared/api/api-calls.js';
import type { GroupView as Group } from '../../shared/api/groups.js';
import { choiceList, type GroupRole, groupRoleIds } from '../../shared/permissions.js';
import type { RosterClient } from '../client/api-client.js';
import { openClient } from '../client/open-client.js';
import { fetchAll, resolveGroup, resolvePerson } from '../client/resolve.js';
import { usageError } from '../errors.js';
import { formatTable, type Output } from '../output.js';

/** The instance role a group gives its members; `none` on the command line is `null` in the API. */
const groupRoles = [...groupRoleIds, 'none'] as const;
type GroupRoleInput = (typeof groupRoles)[number];

const clientOf = (command: Command): RosterClient => openClient(command.optsWithGlobals<{ context?: string }>().context);

function parseGroupRole(value: string): GroupRole | null {
  const role = value.trim().toLowerCase() as GroupRoleInput;
  if (!groupRoles.includes(role)) throw usageError(`"${value}" is not a group role; use ${choiceList(groupRoles)}.`);
  return role === 'none' ? null : role;
}

const roleLabel = (role: Group['role']) => role ?? 'none';

/**
 * `roster groups …` (docs/product/console.md#groups, docs/product/running.md#command-line): list, create, show, rename,
 * role, delete, add-member, remove-member.
 */
export function registerGroupsCommands(program: Command, out: Output): void {
  const groups = program.command('groups').description('Groups of people (needs organization.groups.view / .manage)');

  groups
    .command('list')
    .description('List groups (name, instance role, members, description)')
    .option('--query <text>', 'only groups whose name contains this text')
    .option('--limit <n>', 'at most this many groups (default 50)', (v) => positiveInteger(v, '--limit'))
    .option('--all', 'every matching group, page after page')
    .action(async (options: { query?: string; limit?: number; all?: boolean }, command: Command) => {
      const max = options.all ? Infinity : (options.limit ?? 50);
      const client = clientOf(command);
      const { query } = options;
      const items = await fetchAll((cursor, limit) => dataOf(client.GET('/groups', { params: { query: { query, cursor, limit } } })), max);
      out.result({ items }, () =>
        items.length === 0
          ? 'No groups.'
          : formatTable(
              ['NAME', 'ROLE', 'MEMBERS', 'DESCRIPTION'],
              items.map((g) => [g.name, roleLabel(g.role), g.memberCount, g.description]),
            ),
      );
    });

  groups
    .command('create <name>')
    .description('Create an empty group')
    .option('--description <text>', 'what the group is for')
    .addOption(new Option('--role <role>', 'instance role the group gives its members (default none)').choices(groupRoles))
    .action(async (name: string, options: { description?: string; role?: GroupRoleInput }, command: Command) => {
      const body = {
        name,
        ...(options.description ? { description: options.description } : {}),
        ...(options.role ? { role: parseGroupRole(options.role) } : {}),
      };
      const group = await dataOf(clientOf(command).POST('/groups', { body }));
      out.result(group, () => `Created group "${group.name}" (${group.id}), instance role ${roleLabel(group.role)}.`);
    });

  groups
    .command('show <group>')
    .description('Show a group (by name or id) and its members')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const { id } = await resolveGroup(client, reference);
      const group = await dataOf(client.GET('/groups/{id}', { params: { path: { id } } }));
      // Email, own role and join date come only with organization.people.view (docs/product/security-settings.md#privacy-between-users).
      const members = await fetchAll((cursor, limit) =>
        dataOf(client.GET('/groups/{id}/members', { params: { path: { id }, query: { cursor, limit } } })),
      );
      const detailed = members.some((m) => 'email' in m);
      out.result({ ...group, members }, () =>
        [
          `Name:        ${group.name}`,
          `Id:          ${group.id}`,
          `Role:        ${roleLabel(group.role)}`,
          `Description: ${group.description || '-'}`,
          `Created:     ${group.createdAt}`,
          '',
          members.length === 0
            ? 'No members.'
            : detailed
              ? formatTable(
                  ['USERNAME', 'EMAIL', 'ROLE', 'ADDED'],
                  members.map((m) => ('email' in m ? [m.username, m.email, m.role, m.addedAt] : [m.username, '', '', ''])),
                )
              : formatTable(
                  ['USERNAME'],
                  members.map((m) => [m.username]),
                ),
        ].join('\n'),
      );
    });

  groups
    .command('rename <group> <new-name>')
    .description('Rename a group')
    .action(async (reference: string, newName: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const before = await resolveGroup(client, reference);
      const group = await dataOf(client.PATCH('/groups/{id}', { params: { path: { id: before.id } }, body: { name: newName } }));
      out.result(group, () => `Renamed group "${before.name}" to "${group.name}".`);
    });

  groups
    .command('role <group> <role>')
    .description('Set the instance role the group gives its members: admin, member or none (never owner)')
    .action(async (reference: string, roleInput: string, _options: unknown, command: Command) => {
      const role = parseGroupRole(roleInput);
      const client = clientOf(command);
      const before = await resolveGroup(client, reference);
      const group = await dataOf(client.PATCH('/groups/{id}', { params: { path: { id: before.id } }, body: { role } }));
      out.result(group, () => `Group "${group.name}" now gives its members the instance role ${roleLabel(group.role)}.`);
    });

  groups
    .command('delete <group>')
    .description('Delete a group: its members lose the role and the project access it gave them')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const group = await resolveGroup(client, reference);
      await completed(client.DELETE('/groups/{id}', { params: { path: { id: group.id } } }));
      out.result({ id: group.id, name: group.name, deleted: true }, () => `Deleted group "${group.name}".`);
    });

  groups
    .command('add-member <group> <people...>')
    .description('Add people (usernames, emails or ids) to a group')
    .action(async (reference: string, people: string[], _options: unknown, command: Command) => {
      await changeMembers(clientOf(command), out, reference, people, true);
    });

  groups
    .command('remove-member <group> <people...>')
    .description('Remove people (usernames, emails or ids) from a group')
    .action(async (reference: string, people: string[], _options: unknown, command: Command) => {
      await changeMembers(clientOf(command), out, reference, people, false);
    });
}

/** One request per person, in the order given, after resolving them all; `changed: false` means they already were (or were not) members. */
async function changeMembers(client: RosterClient, out: Output, reference: string, people: string[], member: boolean): Promise<void> {
  const group = await resolveGroup(client, reference);
  // Everyone is looked up before anything changes, so a mistyped name changes nothing.
  const persons = [];
  for (const personRef of people) persons.push(await resolvePerson(client, personRef));
  const results: Array<{ id: string; username: string; changed: boolean }> = [];
  for (const person of persons) {
    const path = { id: group.id, userId: person.id };
    const { changed } = member
      ? await dataOf(client.PUT('/groups/{id}/members/{userId}', { params: { path } }))
      : await dataOf(client.DELETE('/groups/{id}/members/{userId}', { params: { path } }));
    results.push({ id: person.id, username: person.username, changed });
  }
  out.result({ group: { id: group.id, name: group.name }, member, results }, () =>
    results
      .map((r) =>
        member
          ? r.changed
            ? `Added ${r.username} to "${group.name}".`
            : `${r.username} already is a member of "${group.name}".`
          : r.changed
            ? `Removed ${r.username} from "${group.name}".`
            : `${r.username} was not a member of "${group.name}".`,
      )
      .join('\n'),
  );
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw usageError(`${flag} must be a whole number of at least 1.`);
  return n;
}
