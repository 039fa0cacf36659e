import { Secret, TOTP } from 'otpauth';

/** The code an authenticator app shows for `key` (base32), `steps` 30-second steps from now. */
export function codeFor(key: string, steps = 0): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(key) });
  return totp.generate({ timestamp: Date.now() + steps * 30_000 });
}
