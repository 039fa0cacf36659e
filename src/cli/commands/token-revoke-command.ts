import type { Command } from 'commander';
import { completed } from '../../shared/api/api-calls.js';
import { clientConfigPath, readClientConfig, selectContext, writeClientConfig } from '../client/config-store.js';
import { openClient } from '../client/open-client.js';
import { readSecret } from '../client/prompt.js';
import type { Output } from '../output.js';

/**
 * `roster token revoke` (docs/product/security-settings.md#api-tokens, docs/product/api.md DELETE /me/token): revokes
 * your API token with the current password, then forgets every local context that held it, since none of them can work
 * any more.
 */
export function registerTokenRevokeCommand(program: Command, out: Output): void {
  const token = program.commands.find((command) => command.name() === 'token') ?? program.command('token');
  token
    .command('revoke')
    .description('Revoke your API token (asks for your current password) and forget the local contexts that used it')
    .action(async (_options: unknown, command: Command) => {
      const file = clientConfigPath();
      const config = readClientConfig(file);
      const { name, context } = selectContext(config, command.optsWithGlobals<{ context?: string }>().context);
      const currentPassword = await readSecret('Current password: ');
      await completed(openClient(name).DELETE('/me/token', { body: { currentPassword } }));
      const removed = Object.entries(config.contexts)
        .filter(([, stored]) => stored.url === context.url && stored.token === context.token)
        .map(([contextName]) => contextName);
      for (const contextName of removed) delete config.contexts[contextName];
      if (config.current !== null && removed.includes(config.current)) config.current = null;
      writeClientConfig(file, config);
      out.result({ revoked: true, removedContexts: removed }, () =>
        [
          `Your API token for ${context.url} is revoked; it no longer works for the API or the CLI.`,
          `Removed context${removed.length > 1 ? 's' : ''} ${removed.map((c) => `"${c}"`).join(', ')}. Run roster connect with a new token to use this server again.`,
        ].join('\n'),
      );
    });
}
