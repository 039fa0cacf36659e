import { describe, expect, it } from 'vitest';

// The console is type-checked by web/tsconfig.json; import the module under test at run time with its type here.
const consoleModule = '../../web/src/features/service-accounts/expiry-state.ts';
type ExpiryModule = {
  expiryState(expiresAt: string | null, now: number): 'never' | 'valid' | 'soon' | 'expired';
  expirySentence(expiresAt: string | null, now: number): string;
};

const now = Date.parse('2026-12-01T12:00:00.000Z');
const inDays = (days: number) => new Date(now + days * 24 * 60 * 60 * 1000).toISOString();

// docs/product/console.md#service-accounts: the People list warns 14 days before a token expires.
describe('a service-account token expiry in the console', () => {
  it('is valid until 14 days before, then flagged, then expired at the very moment', async () => {
    const { expiryState } = (await import(consoleModule)) as ExpiryModule;
    expect(expiryState(null, now)).toBe('never');
    expect(expiryState(inDays(90), now)).toBe('valid');
    expect(expiryState(inDays(14.01), now)).toBe('valid');
    expect(expiryState(inDays(14), now)).toBe('soon');
    expect(expiryState(inDays(0.001), now)).toBe('soon');
    expect(expiryState(inDays(0), now)).toBe('expired');
    expect(expiryState(inDays(-3), now)).toBe('expired');
  });

  it('says how many days are left inside the warning window', async () => {
    const { expirySentence } = (await import(consoleModule)) as ExpiryModule;
    expect(expirySentence(null, now)).toBe('Token never expires');
    expect(expirySentence(inDays(10), now)).toBe('Token expires in 10 days');
    expect(expirySentence(inDays(0.5), now)).toBe('Token expires within a day');
    expect(expirySentence(inDays(-1), now)).toMatch(/^Token expired on /);
    expect(expirySentence(inDays(40), now)).toMatch(/^Token expires on /);
  });
});
