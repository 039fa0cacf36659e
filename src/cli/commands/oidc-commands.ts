import type { Command } from 'commander';
import { formatTable, type Output } from '../output.js';
import { printSecretNotices } from './secrets-commands.js';

/**
 * `roster oidc …`: the OpenID Connect provider's keys (docs/cli.md#roster-oidc-rotate-keys). `rotate-keys` works on the
 * database, so it reaches every node: each one notices the new key version within a second and signs with the new keys,
 * no restart.
 */
export function registerOidcCommands(program: Command, out: Output): void {
  const oidc = program.command('oidc').description("The OpenID Connect provider's signing and cookie keys");

  oidc
    .command('rotate-keys')
    .description('New signing keys (ES256, RS256) and a new cookie key take over at once; the old ones stay in the JWKS for a day')
    .action(async () => {
      // Imported here, not at the top: a client command or `--help` loads the command line only
      // (docs/decisions/0022-test-run-speed.md).
      const [{ loadConfig }, { offlineContext }, { rotateProviderKeys }, { openServices }] = await Promise.all([
        import('../../config/config.js'),
        import('../../domain/context.js'),
        import('../../domain/oidc/provider-keys.js'),
        import('../../runtime.js'),
      ]);
      const services = await openServices(loadConfig());
      try {
        printSecretNotices(services, out);
        const result = await rotateProviderKeys(offlineContext(services, 'cli'));
        out.result(result, () =>
          [
            formatTable(
              ['ALG', 'NEW KEY ID'],
              result.signingKeys.map((key) => [key.alg, key.id]),
            ),
            '',
            'Every node signs with the new keys within a second (no restart). The old keys stay in the JWKS until ' +
              `${result.oldKeysShownUntil} (a day), so tokens they signed still verify; sign-in cookies made before now ` +
              'stay valid as long.',
          ].join('\n'),
        );
      } finally {
        await services.database.destroy();
      }
    });
}
