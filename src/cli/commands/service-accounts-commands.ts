import { type Command, Option } from 'commander';
import { completed, dataOf } from '../../shared/api/api-calls.js';
import type { ExpiresInDays, ServiceAccount, ServiceAccountDetail, UpdateServiceAccountBody } from '../../shared/api/service-accounts.js';
import { tokenExpiryChoices } from '../../shared/api/service-accounts.js';
import { choiceList, type ServiceAccountRole, serviceAccountRoleIds } from '../../shared/permissions.js';
import type { RosterClient } from '../client/api-client.js';
import { openClient } from '../client/open-client.js';
import { fetchAll } from '../client/resolve.js';
import { CliError, usageError } from '../errors.js';
import { formatTable, type Output } from '../output.js';

const clientOf = (command: Command): RosterClient => openClient(command.optsWithGlobals<{ context?: string }>().context);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `--expires-in 30|90|365|never` → the API's `expiresInDays`. */
const expiryChoices = [...tokenExpiryChoices.map(String), 'never'];
function parseExpiry(value: string | undefined): { expiresInDays?: ExpiresInDays } {
  if (value === undefined) return {};
  if (value === 'never') return { expiresInDays: null };
  const days = Number(value) as ExpiresInDays;
  if (!tokenExpiryChoices.includes(days as (typeof tokenExpiryChoices)[number])) {
    throw usageError(`--expires-in must be ${choiceList(expiryChoices)}.`);
  }
  return { expiresInDays: days };
}

/** Finds one service account by id or by name (exact, NFKC + lower case, as the server compares names). */
async function resolveServiceAccount(client: RosterClient, reference: string): Promise<ServiceAccount> {
  const wanted = reference.trim();
  if (uuidPattern.test(wanted)) return dataOf(client.GET('/service-accounts/{id}', { params: { path: { id: wanted.toLowerCase() } } }));
  const key = wanted.normalize('NFKC').toLowerCase();
  const page = await dataOf(client.GET('/service-accounts', { params: { query: { query: key, limit: 500 } } }));
  const match = page.items.find((account) => account.name === key);
  if (!match) throw new CliError('not_found', `There is no service account called "${wanted}".`);
  return match;
}

const expiryLabel = (account: Pick<ServiceAccount, 'token'>) =>
  account.token === null ? '-' : account.token.expiresAt === null ? 'never' : account.token.expiresAt;

function describe(account: ServiceAccountDetail): string {
  return [
    `Name:         ${account.name}`,
    `Id:           ${account.id}`,
    `Status:       ${account.status}`,
    `Role:         ${account.role}${account.effectiveRole !== account.role ? ` (effective: ${account.effectiveRole})` : ''}`,
    `Description:  ${account.description || '-'}`,
    `Created by:   ${account.createdBy?.name ?? '-'}`,
    `Created:      ${account.createdAt}`,
    `Token:        ${account.token ? `${account.token.prefix}…, expires ${expiryLabel(account)}` : '-'}`,
    `Last used:    ${account.token?.lastUsedAt ? `${account.token.lastUsedAt} from ${account.token.lastUsedIp ?? '?'}` : 'never'}`,
    `Groups:       ${account.groups.map((g) => g.name).join(', ') || '-'}`,
    `Owns:         ${account.ownedProjects.map((p) => p.name).join(', ') || '-'}`,
  ].join('\n');
}

/**
 * `roster service-accounts …` (docs/product/service-accounts.md, docs/cli.md): list, create, show, update,
 * regenerate-token, deactivate, reactivate, remove. A new token is printed once on stdout (with `--json`, inside the
 * JSON and nothing else); the warning that it is shown once goes to stderr.
 */
export function registerServiceAccountsCommands(program: Command, out: Output): void {
  const accounts = program
    .command('service-accounts')
    .description('Service accounts: machine identities with one expiring token (needs organization.service_accounts.view / .manage)');

  accounts
    .command('list')
    .description('List service accounts (name, role, status, token expiry, creator)')
    .option('--query <prefix>', 'only names starting with this')
    .option('--removed', 'list deleted service accounts instead')
    .action(async (options: { query?: string; removed?: boolean }, command: Command) => {
      const client = clientOf(command);
      const { query } = options;
      const status = options.removed ? 'removed' : undefined;
      const items = await fetchAll((cursor, limit) =>
        dataOf(client.GET('/service-accounts', { params: { query: { query, status, cursor, limit } } })),
      );
      out.result({ items }, () =>
        items.length === 0
          ? 'No service accounts.'
          : formatTable(
              ['NAME', 'ROLE', 'STATUS', 'TOKEN EXPIRES', 'CREATED BY', 'DESCRIPTION'],
              items.map((a) => [a.name, a.role, a.status, expiryLabel(a), a.createdBy?.name, a.description]),
            ),
      );
    });

  accounts
    .command('create <name>')
    .description('Create a service account; its token is printed once')
    .addOption(
      new Option('--role <role>', `instance role: ${choiceList(serviceAccountRoleIds)}`).choices(serviceAccountRoleIds).default('member'),
    )
    .option('--description <text>', 'what it is for')
    .addOption(new Option('--expires-in <days>', 'token lifetime in days, or never (Owners only); default 90').choices(expiryChoices))
    .action(async (name: string, options: { role: ServiceAccountRole; description?: string; expiresIn?: string }, command: Command) => {
      const body = {
        name,
        role: options.role,
        ...(options.description ? { description: options.description } : {}),
        ...parseExpiry(options.expiresIn),
      };
      const created = await dataOf(clientOf(command).POST('/service-accounts', { body }));
      out.note('The token is shown once: store it now (roster connect <url> accepts it).');
      out.result(created, () =>
        [
          `Created service account "${created.serviceAccount.name}" (${created.serviceAccount.id}), role ${created.serviceAccount.role}, token expires ${expiryLabel(created.serviceAccount)}.`,
          created.token,
        ].join('\n'),
      );
    });

  accounts
    .command('show <account>')
    .description('Show a service account (by name or id)')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const { id } = await resolveServiceAccount(client, reference);
      const account = await dataOf(client.GET('/service-accounts/{id}', { params: { path: { id } } }));
      out.result(account, () => describe(account));
    });

  accounts
    .command('update <account>')
    .description('Change the name, description or role of a service account')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description')
    .addOption(new Option('--role <role>', 'new role').choices(serviceAccountRoleIds))
    .action(async (reference: string, options: { name?: string; description?: string; role?: ServiceAccountRole }, command: Command) => {
      const change: UpdateServiceAccountBody = {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options.role !== undefined ? { role: options.role } : {}),
      };
      if (Object.keys(change).length === 0) throw usageError('Give at least one of --name, --description, --role.');
      const client = clientOf(command);
      const { id } = await resolveServiceAccount(client, reference);
      const account = await dataOf(client.PATCH('/service-accounts/{id}', { params: { path: { id } }, body: change }));
      out.result(account, () => `Updated service account "${account.name}".`);
    });

  accounts
    .command('regenerate-token <account>')
    .description('Replace the token (the old one stops at once); the new one is printed once')
    .addOption(new Option('--expires-in <days>', 'token lifetime in days, or never (Owners only); default 90').choices(expiryChoices))
    .action(async (reference: string, options: { expiresIn?: string }, command: Command) => {
      const client = clientOf(command);
      const account = await resolveServiceAccount(client, reference);
      const result = await dataOf(
        client.POST('/service-accounts/{id}/token', { params: { path: { id: account.id } }, body: parseExpiry(options.expiresIn) }),
      );
      out.note('The token is shown once: store it now. The previous token no longer works.');
      out.result({ id: account.id, name: account.name, ...result }, () =>
        [`New token for "${account.name}", expires ${result.expiresAt ?? 'never'}:`, result.token].join('\n'),
      );
    });

  for (const [verb, path, done] of [
    ['deactivate', '/service-accounts/{id}/deactivate', 'Deactivated'],
    ['reactivate', '/service-accounts/{id}/reactivate', 'Reactivated'],
  ] as const) {
    accounts
      .command(`${verb} <account>`)
      .description(verb === 'deactivate' ? 'Stop its token at once (grants stay)' : 'Let the same token work again (unless it expired)')
      .action(async (reference: string, _options: unknown, command: Command) => {
        const client = clientOf(command);
        const { id } = await resolveServiceAccount(client, reference);
        const account = await dataOf(client.POST(path, { params: { path: { id } } }));
        out.result(account, () => `${done} service account "${account.name}".`);
      });
  }

  accounts
    .command('remove <account>')
    .description('Delete a service account: its token, project access and memberships go; its name is free again')
    .action(async (reference: string, _options: unknown, command: Command) => {
      const client = clientOf(command);
      const account = await resolveServiceAccount(client, reference);
      await completed(client.DELETE('/service-accounts/{id}', { params: { path: { id: account.id } } }));
      out.result({ id: account.id, name: account.name, removed: true }, () => `Deleted service account "${account.name}".`);
    });
}
