import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildApiToken, buildOwner } from '../support/factories.js';
import { postLogin } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

/**
 * docs/product/running.md#health-and-metrics — /metrics answers an address in ROSTER_METRICS_ALLOW (loopback and the
 * trusted proxies by default) or a bearer token holding organization.metrics.view (Owners); anyone else gets 404, as
 * for a page that does not exist. A public client behind a trusted proxy is judged by its own address, not the proxy's.
 */
describeEachDatabase('/metrics access', (dialect) => {
  const t = useTestApp(dialect, { env: { ROSTER_TRUSTED_PROXIES: '10.0.0.1' } });
  const scrape = (remoteAddress: string, headers: Record<string, string> = {}) =>
    t().app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });

  it('answers loopback (IPv4, IPv6, IPv4-mapped) and a trusted proxy itself', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.1']) {
      const response = await scrape(address);
      expect(response.statusCode, address).toBe(200);
      expect(response.body).toContain('roster_audit_head_seq');
    }
  });

  it('refuses with 404 any other address, and a public client forwarded by the trusted proxy', async () => {
    for (const [address, headers] of [
      ['203.0.113.5', {}],
      ['::ffff:198.51.100.7', {}],
      ['10.0.0.1', { 'x-forwarded-for': '198.51.100.7' }],
      ['203.0.113.5', { 'x-forwarded-for': '127.0.0.1' }],
    ] as const) {
      const response = await scrape(address, headers);
      expect(response.statusCode, `${address} ${JSON.stringify(headers)}`).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).not.toContain('roster_');
    }
  });

  it('answers an Owner token from anywhere; refuses an Admin token, a bad token and a session-less guess with 404', async () => {
    const owner = await buildOwner(t());
    const admin = await buildAdmin(t());
    const ownerToken = await buildApiToken(t(), owner.user);
    const adminToken = await buildApiToken(t(), admin.user);
    const answered = await scrape('203.0.113.5', { authorization: `Bearer ${ownerToken}` });
    expect(answered.statusCode, answered.body).toBe(200);
    expect((await scrape('203.0.113.5', { authorization: `Bearer ${adminToken}` })).statusCode).toBe(404);
    expect((await scrape('203.0.113.5', { authorization: `Bearer ${ownerToken}x` })).statusCode).toBe(404);
    expect((await scrape('203.0.113.5', { authorization: 'Bearer rst_nonsense' })).statusCode).toBe(404);
  });

  it('counts problem answers by code, so failed logins and throttling can be alerted on', async () => {
    const before = await scrape('127.0.0.1');
    const count = (text: string) =>
      Number(/^roster_http_problems_total\{code="invalid_credentials",status="401"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    await postLogin(t().app, 'owner', 'not the password at all');
    const after = await scrape('127.0.0.1');
    expect(count(after.body)).toBe(count(before.body) + 1);
    expect(after.body).toMatch(/^roster_password_hash_queue\{state="waiting"\} \d+$/m);
  });
});

it.each([
  ['127.0.0.1', ['127.0.0.0/8'], true],
  ['127.200.0.1', ['127.0.0.0/8'], true],
  ['128.0.0.1', ['127.0.0.0/8'], false],
  ['2001:db8::5', ['2001:db8::/32'], true],
  ['2001:db9::5', ['2001:db8::/32'], false],
  ['::ffff:192.0.2.9', ['192.0.2.9'], true],
  ['not an address', ['0.0.0.0/0'], false],
])('addressMatcher: %s in %j → %s', async (address, entries, expected) => {
  const { addressMatcher } = await import('../../src/server/plugins/metrics.js');
  expect(addressMatcher(entries)(address)).toBe(expected);
});
