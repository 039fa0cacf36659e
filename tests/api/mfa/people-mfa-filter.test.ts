import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildUser } from '../../support/factories.js';
import { enableTotp, testSecretKeyEnv } from '../../support/mfa.js';
import { useTestApp } from '../../support/test-app.js';
import { caller } from '../people/support.js';

interface Item {
  username: string;
  mfaEnabled: boolean;
}

// docs/product/console.md#people and SPEC §11: the People list shows each person's 2FA state and filters on it.
describeEachDatabase('2FA: the People list filters on two-factor state', (dialect) => {
  const t = useTestApp(dialect, { env: testSecretKeyEnv });

  it('lists people with 2FA under mfa=enabled and the others under mfa=disabled, in pages, searches and the export', async () => {
    const owner = await caller(t());
    // Two with an authenticator app, two without; all four share a username prefix, and the email prefix `zz-`
    // (their usernames do not start with it) reaches the search's email phase.
    for (const name of ['mfaf-on-1', 'mfaf-on-2']) {
      await enableTotp(t(), await buildUser(t(), { username: name, email: `zz-${name}@example.com` }));
    }
    for (const name of ['mfaf-off-1', 'mfaf-off-2']) await buildUser(t(), { username: name, email: `zz-${name}@example.com` });
    const list = async (query: string) => {
      const answer = await owner.call('GET', `/api/v1/people?${query}`);
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json() as { items: Item[]; nextCursor: string | null };
    };
    const names = (items: Item[]) => items.map((item) => item.username).filter((name) => name.startsWith('mfaf-'));

    const enabled = await list('mfa=enabled&limit=500');
    expect(names(enabled.items)).toEqual(['mfaf-on-1', 'mfaf-on-2']);
    expect(enabled.items.every((item) => item.mfaEnabled)).toBe(true);
    const disabled = await list('mfa=disabled&limit=500');
    expect(names(disabled.items)).toEqual(['mfaf-off-1', 'mfaf-off-2']);
    expect(disabled.items.every((item) => !item.mfaEnabled)).toBe(true);
    expect(names((await list('limit=500')).items)).toHaveLength(4);
    expect(names((await list('role=member&mfa=enabled&limit=500')).items)).toEqual(['mfaf-on-1', 'mfaf-on-2']);
    expect(names((await list('role=admin&mfa=enabled&limit=500')).items)).toEqual([]);

    // Keyset pages of one keep to the filter, and so do the username-prefix, email-prefix and substring phases of a search.
    const paged: string[] = [];
    for (let cursor: string | null = null, turns = 0; turns === 0 || cursor; turns++) {
      const page: { items: Item[]; nextCursor: string | null } = await list(`mfa=enabled&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...names(page.items));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(['mfaf-on-1', 'mfaf-on-2']);
    expect(names((await list('mfa=disabled&query=mfaf')).items)).toEqual(['mfaf-off-1', 'mfaf-off-2']);
    expect(names((await list('mfa=enabled&query=zz-mfaf')).items)).toEqual(['mfaf-on-1', 'mfaf-on-2']);
    expect(names((await list('mfa=disabled&query=zz-mfaf&limit=1')).items)).toEqual(['mfaf-off-1']);
    // `af-o` is inside every one of the four usernames and emails, at the start of none: the substring phase.
    expect(names((await list('mfa=enabled&query=af-o')).items)).toEqual(['mfaf-on-1', 'mfaf-on-2']);

    const csv = await owner.call('GET', '/api/v1/people/export?mfa=disabled');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body).toContain('mfaf-off-1');
    expect(csv.body).not.toContain('mfaf-on-1');
  });

  it('refuses a two-factor state it does not know with validation_failed', async () => {
    const owner = await caller(t());
    for (const url of ['/api/v1/people?mfa=yes', '/api/v1/people?mfa=', '/api/v1/people/export?mfa=on']) {
      const answer = await owner.call('GET', url);
      expect(answer.statusCode, url).toBe(400);
      expect(answer.json().code, url).toBe('validation_failed');
    }
  });
});
