import { describe, expect, it } from 'vitest';
import { apiTokenPattern, apiTokenPrefix, generateApiToken, isWellFormedApiToken } from '../../src/domain/tokens/api-token-format.js';

// A unit test of the token format (docs/product/security-settings.md#api-tokens); it lives beside the token API tests
// and needs no database.
describe('personal API token format', () => {
  it('generates 10,000 distinct tokens that match rst_[0-9A-Za-z]{38} and carry a valid checksum', () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const token = generateApiToken();
      expect(token).toMatch(/^rst_[0-9A-Za-z]{38}$/);
      expect(apiTokenPattern.test(token)).toBe(true);
      expect(isWellFormedApiToken(token)).toBe(true);
      tokens.add(token);
    }
    expect(tokens.size).toBe(10_000);
    // Distinct in their random part too, not only in the checksum.
    expect(new Set([...tokens].map((token) => token.slice(4, 36))).size).toBe(10_000);
  });

  it('detects every single-character typo through the CRC32 checksum', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    for (let n = 0; n < 20; n++) {
      const token = generateApiToken();
      for (let position = 4; position < token.length; position++) {
        const replacement = alphabet[(alphabet.indexOf(token[position] ?? '0') + 1 + n) % alphabet.length];
        const typo = `${token.slice(0, position)}${replacement}${token.slice(position + 1)}`;
        expect(isWellFormedApiToken(typo), typo).toBe(false);
      }
    }
  });

  it('refuses wrong shapes without looking further', () => {
    const token = generateApiToken();
    for (const candidate of ['', 'rst_', token.slice(0, -1), `${token}x`, token.toUpperCase(), `RST_${token.slice(4)}`, ` ${token}`]) {
      expect(isWellFormedApiToken(candidate), candidate).toBe(false);
    }
  });

  it('shows a prefix that identifies but cannot authenticate', () => {
    const token = generateApiToken();
    expect(apiTokenPrefix(token)).toBe(token.slice(0, 8));
    expect(apiTokenPrefix(token)).toMatch(/^rst_[0-9A-Za-z]{4}$/);
  });
});

describe('service-account token format', () => {
  it('generates rss_ tokens of the same shape, accepted by the same check, and never confused with personal ones', () => {
    for (let i = 0; i < 1000; i++) {
      const token = generateApiToken('service_account');
      expect(token).toMatch(/^rss_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiToken(token)).toBe(true);
      expect(apiTokenPattern.test(token)).toBe(false);
      // The checksum covers the prefix: the same body as rst_ is refused.
      expect(isWellFormedApiToken(`rst_${token.slice(4)}`)).toBe(false);
    }
  });
});
