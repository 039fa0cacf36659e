import type { Command } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import type { ResetTokenResponse } from '../../shared/api/me.js';
import { ApiError, type RosterClient } from '../client/api-client.js';
import { clientConfigPath, readClientConfig, selectContext, writeClientConfig } from '../client/config-store.js';
import { openClient } from '../client/open-client.js';
import { readSecret } from '../client/prompt.js';
import { usageError } from '../errors.js';
import type { Output } from '../output.js';

/**
 * `POST /me/token` with the current password and, once the account has 2FA, a second factor
 * (docs/product/security-settings.md#two-factor-authentication): `--code` when given; otherwise, when the server answers
 * `mfa_required`, a hidden prompt on a terminal and one retry. Without a terminal the code cannot be asked for (stdin
 * held the password), so the answer names `--code`.
 */
async function resetOwnToken(client: RosterClient, currentPassword: string, code: string | undefined): Promise<ResetTokenResponse> {
  const post = (secondFactor: { code: string } | undefined) =>
    dataOf(client.POST('/me/token', { body: { currentPassword, ...(secondFactor ? { secondFactor } : {}) } }));
  if (code !== undefined) return post({ code });
  try {
    return await post(undefined);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'mfa_required')) throw error;
    if (!process.stdin.isTTY) {
      throw usageError(
        'Your account has two-factor authentication: pass --code <code> with a code from your authenticator app or a recovery code.',
      );
    }
    return post({ code: await readSecret('Authentication code or recovery code: ') });
  }
}

/** `roster me` and `roster token reset`: the caller's own account through the API. */
export function registerMeCommands(program: Command, out: Output): void {
  program
    .command('me')
    .description('Show who you are on the current server: username, email, role, token')
    .action(async (_options: unknown, command: Command) => {
      const client = openClient(command.optsWithGlobals<{ context?: string }>().context);
      const { csrfToken: _unused, ...me } = await dataOf(client.GET('/me'));
      out.result(me, () =>
        [
          `Username:  ${me.user.username}`,
          `Email:     ${me.user.email}`,
          `Role:      ${me.user.role}${me.effectiveRole !== me.user.role ? ` (effective: ${me.effectiveRole}, through a group)` : ''}`,
          `API token: ${me.token ? `${me.token.prefix}… created ${me.token.createdAt}, last used ${me.token.lastUsedAt ?? 'never'}` : 'none'}`,
          `Context:   ${client.contextName}`,
        ].join('\n'),
      );
    });

  const token = program.command('token').description('Your personal API token');
  token
    .command('reset')
    .description(
      'Replace your API token (asks for your current password, and with two-factor authentication on for a code); the old one stops working at once',
    )
    .option('--code <code>', 'with two-factor authentication on: a code from your authenticator app, or a recovery code')
    .action(async (options: { code?: string }, command: Command) => {
      const requested = command.optsWithGlobals<{ context?: string }>().context;
      const file = clientConfigPath();
      const config = readClientConfig(file);
      const { name, context } = selectContext(config, requested);
      const currentPassword = await readSecret('Current password: ');
      const client = openClient(name);
      const reset = await resetOwnToken(client, currentPassword, options.code);
      // Every stored context that used the old token on this server now uses the new one.
      const { url, token: oldToken } = context;
      const updated: string[] = [];
      for (const [contextName, stored] of Object.entries(config.contexts)) {
        if (stored.url === url && stored.token === oldToken) {
          stored.token = reset.token;
          updated.push(contextName);
        }
      }
      writeClientConfig(file, config);
      out.result({ ...reset, updatedContexts: updated }, () =>
        [
          `New API token (shown only once): ${reset.token}`,
          `Stored in context${updated.length > 1 ? 's' : ''} ${updated.map((c) => `"${c}"`).join(', ')}. The old token no longer works for the API or the CLI.`,
        ].join('\n'),
      );
    });
}
