import type { Command } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import type { Explanation } from '../../shared/api/authorize.js';
import type { ProjectRef } from '../../shared/api/people.js';
import type { Permission } from '../../shared/permissions.js';
import { ApiError, type RosterClient } from '../client/api-client.js';
import { openClient } from '../client/open-client.js';
import { type PersonRef, resolvePerson, resolveProject } from '../client/resolve.js';
import { usageError } from '../errors.js';
import { exitCodes, type Output } from '../output.js';

interface QuestionOptions {
  project?: string;
  user?: string;
}

/** The project (by id or name) and the person (username, email or id) of a question, resolved once. */
async function resolveQuestion(
  client: RosterClient,
  options: QuestionOptions,
): Promise<{ project: ProjectRef | null; user: PersonRef | null }> {
  const found = options.project ? await resolveProject(client, options.project) : null;
  const project = found ? { id: found.id, name: found.name } : null;
  const user = options.user ? await resolvePerson(client, options.user) : null;
  return { project, user };
}

/**
 * The server is the authority on permission names (a newer server may know more than this CLI), but its schema
 * errors list every name it expected; a mistyped permission or a missing --project becomes one usage line instead.
 */
async function asked<T>(permission: string, question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'validation_failed') throw error;
    const fields = (Array.isArray(error.problem.errors) ? (error.problem.errors as Array<{ field?: string }>) : []).map((e) => e.field);
    if (fields.includes('/permission')) {
      throw usageError(`"${permission}" is not a permission; "roster roles show <role>" lists the permissions of each role.`);
    }
    if (fields.includes('/projectId')) throw usageError(`${permission} is a project permission: add --project <project>.`);
    throw error;
  }
}

const questionOptions = (command: Command) =>
  command
    .option('--project <project>', 'the project (id or name) for a project.* permission')
    .option('--user <person>', 'ask about this person (username, email or id) instead of yourself; needs organization.people.view');

/**
 * `roster authorize` and `roster explain` (docs/product/roles-and-permissions.md#how-a-decision-is-made,
 * docs/product/console.md#explain-access, docs/product/running.md#command-line): one decision, with the path that
 * grants it.
 */
export function registerAuthorizeCommands(program: Command, out: Output): void {
  questionOptions(
    program
      .command('authorize <permission>')
      .description('May you (or --user) do <permission>? Prints allowed or refused with the reason; exit 0 allowed, 3 refused'),
  ).action(async (permission: string, options: QuestionOptions, command: Command) => {
    const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
    const { project, user } = await resolveQuestion(client, options);
    const answer = await asked(permission, () =>
      dataOf(
        client.POST('/authorize', {
          // The server is the authority on permission names (asked() turns its refusal into a usage line).
          body: {
            permission: permission as Permission,
            ...(project ? { projectId: project.id } : {}),
            ...(user ? { userId: user.id } : {}),
          },
        }),
      ),
    );
    const result = {
      ...answer,
      permission,
      project,
      user: user ? { id: user.id, username: user.username } : null,
    };
    out.result(result, () => `${answer.allowed ? 'allowed' : 'refused'}: ${answer.reason}`);
    // Scripts branch on the exit code alone: `roster authorize … && deploy`.
    if (!answer.allowed) process.exitCode = exitCodes.forbidden;
  });

  questionOptions(
    program
      .command('explain <permission>')
      .description('Why may (or may not) you (or --user) do <permission>: the decision and every path that grants it'),
  ).action(async (permission: string, options: QuestionOptions, command: Command) => {
    const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
    const { project, user } = await resolveQuestion(client, options);
    const explanation = await asked(permission, () =>
      dataOf(
        client.GET('/authorize/explain', {
          params: { query: { permission: permission as Permission, projectId: project?.id, userId: user?.id } },
        }),
      ),
    );
    out.result(explanation, () => formatExplanation(explanation));
  });
}

function formatExplanation(e: Explanation): string {
  return [
    `Decision:   ${e.allowed ? 'allowed' : 'refused'}`,
    `Permission: ${e.permission}`,
    `Person:     ${e.subject.username} (effective instance role ${e.subject.effectiveRole}: ${e.subject.effectiveRoleVia.join('; ')})`,
    ...(e.project ? [`Project:    ${e.project.name} (${e.project.id})`] : []),
    ...(e.allowed ? [`Paths (${e.paths.length}):`, ...e.paths.map((path) => `  - ${path}`)] : [`Reason:     ${e.reason}`]),
  ].join('\n');
}
