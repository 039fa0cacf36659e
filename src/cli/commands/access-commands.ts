import type { Command } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import type { ProjectRef } from '../../shared/api/people.js';
import type { AccessEntry } from '../../shared/api/project-access.js';
import { choiceList, type ProjectRole, projectRoleIds as projectRoles } from '../../shared/permissions.js';
import type { RosterClient } from '../client/api-client.js';
import { openClient } from '../client/open-client.js';
import { resolveGroup, resolvePerson, resolveProject } from '../client/resolve.js';
import { usageError } from '../errors.js';
import { formatTable, type Output } from '../output.js';

interface Subject {
  type: 'user' | 'group';
  id: string;
  name: string;
}

function parseProjectRole(value: string): ProjectRole {
  const role = value.trim().toLowerCase();
  if (!(projectRoles as readonly string[]).includes(role)) {
    throw usageError(`"${value}" is not a project role; use ${choiceList(projectRoles)}.`);
  }
  return role as ProjectRole;
}

/** `group:<name>` is a group; `user:<person>` or a bare username, email or id is a person. */
async function resolveSubject(client: RosterClient, reference: string): Promise<Subject> {
  const [prefix, ...rest] = reference.split(':');
  const value = rest.join(':');
  if (rest.length > 0 && prefix === 'group') {
    const group = await resolveGroup(client, value);
    return { type: 'group', id: group.id, name: group.name };
  }
  const person = await resolvePerson(client, rest.length > 0 && prefix === 'user' ? value : reference);
  return { type: 'user', id: person.id, name: person.username };
}

const describeSubject = (subject: Subject) => (subject.type === 'group' ? `group "${subject.name}"` : subject.name);

/**
 * `roster projects access <project> [list]`, `… set <subject> <role>`, `… remove <subject>`
 * (docs/product/console.md#projects, docs/product/running.md#command-line). One command with an action word, so the
 * project comes first as in the console's People tab.
 */
export function registerAccessCommands(program: Command, out: Output): void {
  const projects = program.commands.find((command) => command.name() === 'projects') ?? program.command('projects');
  projects
    .command('access <project> [action] [args...]')
    .description(
      'Who has access to a project: "list" (default), "set <subject> <admin|contributor|reader>", "remove <subject>"; ' +
        'a subject is a username, an email, a user id, or group:<name>',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  roster projects access api',
        '  roster projects access api set dave-ops contributor',
        '  roster projects access api set group:backend reader',
        '  roster projects access api remove group:backend',
      ].join('\n'),
    )
    .action(async (projectRef: string, action: string | undefined, args: string[], _options: unknown, command: Command) => {
      const verb = action ?? 'list';
      const expected = { list: 0, set: 2, remove: 1 }[verb];
      if (expected === undefined) throw usageError(`"${verb}" is not an access action; use list, set or remove.`);
      if (args.length !== expected) {
        const usage = { list: 'list', set: 'set <subject> <role>', remove: 'remove <subject>' }[verb];
        throw usageError(`Usage: roster projects access <project> ${usage}`);
      }
      const role = verb === 'set' ? parseProjectRole(args[1] ?? '') : null;
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const { id, name } = await resolveProject(client, projectRef);
      const project = { id, name };
      if (verb === 'list') return listAccess(client, out, project);
      const subject = await resolveSubject(client, args[0] ?? '');
      const path = { id: project.id, subjectType: subject.type, subjectId: subject.id };
      const answer = role
        ? await dataOf(client.PUT('/projects/{id}/access/{subjectType}/{subjectId}', { params: { path }, body: { role } }))
        : await dataOf(client.DELETE('/projects/{id}/access/{subjectType}/{subjectId}', { params: { path } }));
      const result = { project, subjectType: subject.type, subject: { id: subject.id, name: subject.name }, ...answer };
      out.result(result, () => {
        const who = describeSubject(subject);
        if (role)
          return answer.changed ? `${who} now has ${role} on "${project.name}".` : `${who} already had ${role} on "${project.name}".`;
        return answer.changed
          ? `${who} no longer has a project role on "${project.name}".`
          : `${who} had no project role given on "${project.name}"; nothing changed.`;
      });
    });
}

async function listAccess(client: RosterClient, out: Output, project: ProjectRef): Promise<void> {
  // Every page; `abilities` is the same on each.
  const items: AccessEntry[] = [];
  let abilities = { manage: false };
  let cursor: string | undefined;
  do {
    const page = await dataOf(client.GET('/projects/{id}/access', { params: { path: { id: project.id }, query: { limit: 500, cursor } } }));
    items.push(...page.items);
    abilities = page.abilities;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const access = { items, abilities };
  out.result({ project, ...access }, () =>
    access.items.length === 0
      ? `Nobody has access to "${project.name}".`
      : formatTable(
          ['TYPE', 'SUBJECT', 'ROLE', 'SOURCE'],
          access.items.map((entry) => [
            entry.subjectType,
            // An email comes only with organization.people.view (docs/product/security-settings.md#privacy-between-users); groups have none.
            'email' in entry.subject && entry.subject.email ? `${entry.subject.name} <${entry.subject.email}>` : entry.subject.name,
            entry.role,
            entry.source,
          ]),
        ),
  );
}
