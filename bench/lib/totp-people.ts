import { type Config, type DatabaseConfig, loadConfig } from '../../src/config/config.js';
import { totpSecretField } from '../../src/domain/mfa/factor-kinds.js';
import { newTotpSecret, totpStepAt } from '../../src/domain/mfa/totp.js';
import { requireSecretKey } from '../../src/domain/secrets/require-secret-key.js';
import { openServices } from '../../src/runtime.js';
import { acceptTotpStep, upsertUnconfirmedTotp } from '../../src/storage/queries/mfa-totp.js';
import { setMfaEnabled } from '../../src/storage/queries/users.js';
import type { TotpAccount } from '../totp-logins.js';
import { insertBenchPerson } from './setup.js';

/**
 * `count` people with a permanent password and a confirmed authenticator app, written beside the running server (as
 * the company scenario does) through the same storage calls as `POST /me/mfa/totp` and its confirmation: the seed
 * encrypted by the secret store, 2FA on. No recovery codes (the logins never use them). The confirmed step is two
 * steps back, so the codes of the previous, current and next step (the accepted drift) are each good for one login.
 */
export async function enrollTotpPeople(
  database: DatabaseConfig,
  env: Record<string, string>,
  count: number,
  password: string,
): Promise<TotpAccount[]> {
  const config: Config = { ...loadConfig({ ROSTER_LOG_LEVEL: 'warn', ...env }), database };
  const services = await openServices(config);
  try {
    const keyring = requireSecretKey(services, 'The bench');
    const now = new Date();
    const at = now.toISOString();
    const passwordHash = await services.hasher.hash(password);
    const accounts: TotpAccount[] = [];
    for (let i = 0; i < count; i++) {
      const login = `bench-totp-${i}`;
      const id = await insertBenchPerson(services.database.db, login, 'member', passwordHash, at);
      const secret = newTotpSecret();
      const stored = keyring.encrypt({ ...totpSecretField, rowId: id }, secret);
      await services.database.transact(async (trx) => {
        await upsertUnconfirmedTotp(trx, { userId: id, secret: stored, at });
        if (!(await acceptTotpStep(trx, id, totpStepAt(now) - 2, { at }))) throw new Error(`could not confirm ${login}'s app`);
        await setMfaEnabled(trx, id, true);
      });
      // One client address per account, as the password logins do: the per-address limit is not what is measured.
      accounts.push({ login, secret, address: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` });
    }
    return accounts;
  } finally {
    await services.database.destroy();
  }
}
