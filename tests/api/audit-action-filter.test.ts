import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs, postLogin } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

// Issue 17 item 10: the audit Action filter matches prefixes and words, on the server, so that the list and both
// exports follow it (docs/product/audit-log.md#reading-and-exporting).
describeEachDatabase('audit Action filter: prefixes and words', (dialect) => {
  const t = useTestApp(dialect);

  it('matches the start of the action or of any of its words, every word typed, and nothing else', async () => {
    const member = await buildMember(t());
    await postLogin(t().app, member.user.username, 'not the password at all');
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    expect((await client.post(`/api/v1/people/${member.user.id}/password-reset`, {})).statusCode).toBe(200);
    expect((await client.put(`/api/v1/people/${member.user.id}/role`, { role: 'admin' })).statusCode).toBe(200);

    const actions = async (action: string, format = '') => {
      const response = await client.get(`/api/v1/audit${format}?action=${encodeURIComponent(action)}&limit=200`);
      expect(response.statusCode, response.body).toBe(200);
      return [...new Set((response.json() as { items: Array<{ action: string }> }).items.map((event) => event.action))].sort();
    };
    const all = await actions('');
    expect(all).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.password_reset', 'user.role_changed']));

    expect(await actions('password')).toEqual(all.filter((a) => /(^|[._])password/.test(a)));
    expect(await actions('password')).toContain('user.password_reset');
    expect(await actions('user')).toEqual(all.filter((a) => a.startsWith('user')));
    expect(await actions('user.*')).toEqual(await actions('user'));
    expect(await actions('role changed')).toEqual(['user.role_changed']);
    expect(await actions('ROLE')).toEqual(['user.role_changed']);
    expect(await actions('auth.login_failed')).toEqual(['auth.login_failed']);
    expect(await actions('auth.login')).toEqual(['auth.login']); // a dotted name is exact
    expect(await actions('user password')).toEqual(all.filter((a) => a.startsWith('user') && /(^|[._])password/.test(a)));
    expect(await actions('failed')).toEqual(all.filter((a) => /(^|[._])failed/.test(a)));
    expect(await actions('ser')).toEqual([]); // the middle of a word is not a match
    expect(await actions('50%_x')).toEqual([]); // LIKE wildcards are plain text

    // The CSV export follows the same filter.
    const csv = await client.get(`/api/v1/audit/export?format=csv&action=${encodeURIComponent('role changed')}`);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.includes('user.role_changed'))).toBe(true);
  });
});
