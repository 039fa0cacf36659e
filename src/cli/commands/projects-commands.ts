import type { Command } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import { openClient } from '../client/open-client.js';
import { fetchAll, resolvePerson, resolveProject } from '../client/resolve.js';
import { formatTable, type Output } from '../output.js';

/** `roster projects list|create|transfer` (docs/product/console.md#projects, docs/product/running.md#command-line). */
export function registerProjectsCommands(program: Command, out: Output): void {
  const projects = program.command('projects').description('Projects you can see');

  projects
    .command('list')
    .description('List the projects you can see')
    .action(async (_options: unknown, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const items = await fetchAll((cursor, limit) => dataOf(client.GET('/projects', { params: { query: { cursor, limit } } })));
      out.result({ items }, () =>
        items.length === 0
          ? 'No projects.'
          : formatTable(
              ['ID', 'NAME', 'OWNER', 'CREATED'],
              items.map((p) => [p.id, p.name, p.owner?.username ?? p.ownerId, p.createdAt]),
            ),
      );
    });

  projects
    .command('create <name>')
    .description('Create a project; you become its owner')
    .option('--description <text>', 'what the project is')
    .action(async (name: string, options: { description?: string }, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const project = await dataOf(
        client.POST('/projects', { body: { name, ...(options.description ? { description: options.description } : {}) } }),
      );
      out.result(project, () => `Created project "${project.name}" (${project.id}).`);
    });

  projects
    .command('transfer <project> <person>')
    .description('Make another person the owner of a project (project by id or name; person by username or email)')
    .action(async (projectRef: string, personRef: string, _options: unknown, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const project = await resolveProject(client, projectRef);
      const person = await resolvePerson(client, personRef);
      const updated = await dataOf(
        client.PUT('/projects/{id}/owner', { params: { path: { id: project.id } }, body: { userId: person.id } }),
      );
      const result = { id: project.id, name: project.name, ownerId: updated.ownerId, owner: person.username };
      out.result(result, () => `Project "${project.name}" now belongs to ${person.username}.`);
    });
}
