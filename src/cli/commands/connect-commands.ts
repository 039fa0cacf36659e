import type { Command } from 'commander';
import { dataOf } from '../../shared/api/api-calls.js';
import type { MeResponse } from '../../shared/api/me.js';
import { ApiError, createRosterClient } from '../client/api-client.js';
import { clientConfigPath, readClientConfig, writeClientConfig } from '../client/config-store.js';
import { readSecret } from '../client/prompt.js';
import { CliError, usageError } from '../errors.js';
import { formatTable, type Output } from '../output.js';

/** Only the shape, a person's `rst_` or a service account's `rss_` token: the server checks the checksum and the rest. */
const tokenShape = /^rs[ts]_[0-9A-Za-z]{38}$/;

/** `https://roster.example.com/` → `https://roster.example.com`; refuses anything but http(s) URLs. */
function parseServerUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.includes('://') ? input : `https://${input}`);
  } catch {
    throw usageError(`"${input}" is not a URL; use e.g. https://roster.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usageError('The server URL must start with https:// or http://');
  if (url.username || url.password || url.search || url.hash)
    throw usageError('The server URL must not contain credentials, a query or a fragment.');
  return url;
}

/** `roster connect <url>` and `roster context` (docs/product/running.md#command-line), like Semaphore's `sem connect` / `sem context`. */
export function registerConnectCommands(program: Command, out: Output): void {
  program
    .command('connect <url>')
    .description(
      'Store an API token (personal or service account) for a server (read from a hidden prompt, or from stdin; never from the command line)',
    )
    .option('--name <context>', 'name of the context (default: the server host)')
    .action(async (input: string, options: { name?: string }) => {
      const url = parseServerUrl(input);
      const base = url.href.replace(/\/+$/, '');
      const name = options.name ?? url.host;
      if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/.test(name))
        throw usageError(`"${name}" is not a valid context name (letters, digits, . _ : -).`);
      const token = (await readSecret(`API token for ${base}: `)).trim();
      if (!tokenShape.test(token)) {
        throw new CliError('invalid_token', 'That does not look like a Roster API token (rst_ or rss_ followed by 38 letters and digits).');
      }
      let me: MeResponse;
      try {
        me = await dataOf(createRosterClient(base, token).GET('/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          throw new CliError(
            'invalid_token',
            `${base} refused the token (${error.code}); reset it in Profile settings (a service account's: ask a service account manager) and try again.`,
          );
        }
        throw error;
      }
      const file = clientConfigPath();
      const config = readClientConfig(file);
      config.contexts[name] = { url: base, token };
      config.current = name;
      writeClientConfig(file, config);
      out.result({ context: name, url: base, username: me.user.username, effectiveRole: me.effectiveRole, configFile: file }, () =>
        [
          `Connected to ${base} as ${me.user.username} (${me.effectiveRole}).`,
          `Context "${name}" is now current (stored in ${file}).`,
        ].join('\n'),
      );
    });

  program
    .command('context [name]')
    .description('List the stored contexts, or switch to another one')
    .action(async (name: string | undefined) => {
      const file = clientConfigPath();
      const config = readClientConfig(file);
      if (name !== undefined) {
        if (!config.contexts[name]) {
          const known = Object.keys(config.contexts);
          throw new CliError('unknown_context', `There is no context "${name}"${known.length ? `; known: ${known.join(', ')}` : ''}.`);
        }
        config.current = name;
        writeClientConfig(file, config);
      }
      // Tokens are never printed.
      const contexts = Object.entries(config.contexts).map(([contextName, context]) => ({
        name: contextName,
        url: context.url,
        current: contextName === config.current,
      }));
      out.result({ current: config.current, contexts }, () => {
        if (name !== undefined) return `Switched to context "${name}" (${config.contexts[name]?.url}).`;
        if (contexts.length === 0) return 'No contexts yet; run "roster connect <url>".';
        return formatTable(
          ['CURRENT', 'NAME', 'URL'],
          contexts.map((c) => [c.current ? '*' : '', c.name, c.url]),
        );
      });
    });
}
