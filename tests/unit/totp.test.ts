import { describe, expect, it } from 'vitest';
import { matchTotpStep, newTotpSecret, totpStepAt, totpUri } from '../../src/domain/mfa/totp.js';
import { TestClock } from '../support/clock.js';
import { totpCode } from '../support/mfa.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (base32 below); the 6-digit codes are the last six digits of
// the RFC's 8-digit values (RFC 4226's truncation modulo 10^6).
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const vectors = [
  { seconds: 59, code: '287082' },
  { seconds: 1111111109, code: '081804' },
  { seconds: 1111111111, code: '050471' },
  { seconds: 1234567890, code: '005924' },
  { seconds: 2000000000, code: '279037' },
  { seconds: 20000000000, code: '353130' },
];

describe('TOTP (docs/product/security-settings.md#two-factor-authentication)', () => {
  it.each(vectors)('accepts the RFC 6238 code $code at $seconds s, as its own step', ({ seconds, code }) => {
    const clock = new TestClock(seconds * 1000);
    expect(matchTotpStep(rfcSecret, code, clock.now())).toBe(Math.floor(seconds / 30));
    expect(totpCode(rfcSecret, clock.now())).toBe(code);
  });

  it('accepts one step of drift either way and nothing further', () => {
    const clock = new TestClock(1_700_000_000_000);
    const step = totpStepAt(clock.now());
    const at = (offset: number) => totpCode(rfcSecret, clock.now(), offset);
    expect(matchTotpStep(rfcSecret, at(-1), clock.now())).toBe(step - 1);
    expect(matchTotpStep(rfcSecret, at(1), clock.now())).toBe(step + 1);
    expect(matchTotpStep(rfcSecret, at(-2), clock.now())).toBeNull();
    expect(matchTotpStep(rfcSecret, at(2), clock.now())).toBeNull();
  });

  it('refuses anything but six digits before computing', () => {
    const now = new Date(59_000);
    for (const code of ['28708', '2870821', '28708a', '', '287 08', '０２８７０８']) expect(matchTotpStep(rfcSecret, code, now)).toBeNull();
    expect(matchTotpStep(rfcSecret, ' 287 082 ', now)).toBe(1);
  });

  it('makes 160-bit seeds and an otpauth URI with the parameters apps need', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, 'ada'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('issuer')).toBe('Roster');
  });
});
