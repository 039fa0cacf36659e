import type { Command } from 'commander';
import type { Services } from '../../domain/context.js';
import { usageError } from '../errors.js';
import { exitCodes, formatTable, type Output } from '../output.js';

/** Prints what opening the secret store had to say (a key file created, a file mode too open) to stderr. */
export function printSecretNotices(services: Services, out: Output): void {
  for (const notice of services.secrets.notices) out.note(notice);
}

/**
 * `roster secrets …` (docs/product/security-settings.md#secrets-the-server-reads-back): make a key, and re-encrypt every
 * stored secret under the current key after a rotation.
 */
export function registerSecretsCommands(program: Command, out: Output): void {
  const secrets = program
    .command('secrets')
    .description('The key that encrypts secrets the server reads back (TOTP seeds, provider secrets)');

  secrets
    .command('generate-key')
    .description('Print a new random 32-byte key (base64) for ROSTER_SECRET_KEY; nothing is stored')
    .action(async () => {
      // Imported here, not at the top: a client command or `--help` loads the command line only
      // (docs/decisions/0022-test-run-speed.md).
      const [{ parseSecretKey }, { generateSecretKeyText, secretKeyId }] = await Promise.all([
        import('../../config/secret-keys.js'),
        import('../../domain/secrets/secret-keyring.js'),
      ]);
      const key = generateSecretKeyText();
      const material = parseSecretKey(key);
      if (!material) throw new Error('unreachable: a generated key parses');
      out.result({ key, keyId: secretKeyId(material) }, () => key);
    });

  secrets
    .command('rekey')
    .description(
      'Re-encrypt every stored secret under the current key (after adding a new ROSTER_SECRET_KEY and listing the old one in ROSTER_SECRET_KEYS_OLD)',
    )
    .option('--batch-size <n>', 'rows per transaction', '500')
    .action(async (options: { batchSize: string }) => {
      const batchSize = Number(options.batchSize);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw usageError('--batch-size takes a whole number from 1 to 10000.');
      const [{ loadConfig }, { offlineContext }, { rekeySecrets }, { openServices }] = await Promise.all([
        import('../../config/config.js'),
        import('../../domain/context.js'),
        import('../../domain/secrets/rekey-secrets.js'),
        import('../../runtime.js'),
      ]);
      const services = await openServices(loadConfig());
      try {
        printSecretNotices(services, out);
        const result = await rekeySecrets(offlineContext(services, 'cli'), { batchSize });
        out.result(result, () =>
          [
            formatTable(
              ['COLUMN', 'VALUES', 'REKEYED', 'FAILED'],
              result.columns.map((c) => [`${c.table}.${c.column}`, c.checked, c.rekeyed, c.failed]),
            ),
            '',
            result.failed === 0
              ? `Every stored secret is now encrypted under key ${result.keyId} (${result.rekeyed} rewritten). ` +
                'Older keys can be removed from ROSTER_SECRET_KEYS_OLD once every node runs with this keyring.'
              : `${result.failed} value(s) could not be read and were left as they were:\n${result.failures.map((f) => `  - ${f}`).join('\n')}`,
          ].join('\n'),
        );
        if (result.failed > 0) process.exitCode = exitCodes.error;
      } finally {
        await services.database.destroy();
      }
    });
}
