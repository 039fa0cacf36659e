import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildUser } from '../../support/factories.js';
import { createListeningTestApp, type ListeningTestApp, TestBrowser } from '../../support/oidc.js';
import { startUpstreamIdp, type UpstreamIdp } from '../../support/upstream-idp.js';
import { auditOf, expectLanded, registerProvider, unique, walk, whoAmI } from './support.js';

// SPEC §12.2 under pressure: callbacks that arrive at the same moment. Each browser has its own state, code and
// cookie, as two tabs (or a double click on the provider's button) would; only the last hop, Roster's callback, is
// sent at once.

describeEachDatabase('SSO login: callbacks at the same moment', (dialect) => {
  let roster: ListeningTestApp;
  let idp: UpstreamIdp;
  let provider: { id: string };

  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
    idp = await startUpstreamIdp();
    provider = await registerProvider(roster, idp, { createUnknown: true, linkVerifiedEmail: true });
  });
  afterAll(async () => {
    await idp?.close();
    await roster?.close();
  });

  /** A browser that went through the provider as `login` and stands at Roster's callback, not yet sent. */
  async function atCallback(login: string): Promise<{ browser: TestBrowser; callback: URL }> {
    const browser = new TestBrowser(roster.base);
    idp.nextLogin = login;
    const callback = await walk(browser, `/auth/sso/${provider.id}/start`, { stopAtCallback: true });
    return { browser, callback };
  }

  /** Sends the callbacks together and follows each to the Roster page it lands on. */
  async function landAll(waiting: { browser: TestBrowser; callback: URL }[]): Promise<URL[]> {
    return Promise.all(waiting.map(({ browser, callback }) => walk(browser, callback.href)));
  }

  it('creates one person, not two, when the first login of a new subject arrives twice at once; both browsers are that person', async () => {
    const login = unique('twin');
    const sub = `sub-${login}`;
    idp.accounts.set(login, { sub, email: `${login}@corp.example`, email_verified: true, preferred_username: login });
    const waiting = [await atCallback(login), await atCallback(login), await atCallback(login)];
    const landed = await landAll(waiting);
    for (const url of landed) expectLanded(url, '/');
    const who = await Promise.all(waiting.map(({ browser }) => whoAmI(browser)));
    expect(new Set(who.map((me) => me.id)).size).toBe(1);
    expect(who[0]).toMatchObject({ status: 200, username: login });

    const db = roster.services.database.db;
    const people = await db.selectFrom('users').select('id').where('email_canonical', '=', `${login}@corp.example`).execute();
    expect(people).toHaveLength(1);
    const links = await db.selectFrom('user_identities').select('user_id').where('subject', '=', sub).execute();
    expect(links).toEqual([{ user_id: people[0]?.id }]);
    expect((await auditOf(roster, 'user.created')).filter((event) => event.target_id === people[0]?.id)).toHaveLength(1);
  });

  it('links an existing Member once when two verified-email logins arrive at once', async () => {
    const login = unique('member');
    const db = roster.services.database.db;
    idp.accounts.set(login, { sub: `sub-${login}`, email: `${login}@corp.example`, email_verified: true });
    const member = await buildUser(roster, { role: 'member', username: login, email: `${login}@corp.example` });
    const person = { id: member.user.id };
    const landed = await landAll([await atCallback(login), await atCallback(login)]);
    for (const url of landed) expectLanded(url, '/');
    const links = await db.selectFrom('user_identities').select(['user_id', 'subject']).where('user_id', '=', person.id).execute();
    expect(links).toEqual([{ user_id: person.id, subject: `sub-${login}` }]);
    const linked = (await auditOf(roster, 'sso.linked')).filter((event) => event.target_id === person.id);
    expect(linked).toHaveLength(1);
  });

  it('spends a state once: the same callback sent twice at once logs in one browser and refuses the other', async () => {
    const login = unique('replay');
    idp.accounts.set(login, { sub: `sub-${login}`, email: `${login}@corp.example`, email_verified: true, preferred_username: login });
    const { browser, callback } = await atCallback(login);
    // The same browser (same cookie) sends its callback twice at the same moment.
    const answers = await Promise.all([browser.fetch(callback.href), browser.fetch(callback.href)]);
    const places = answers.map((answer) => new URL(answer.headers.get('location') ?? '', roster.base));
    const refused = places.filter((url) => url.searchParams.get('sso_error') !== null);
    expect(places.filter((url) => url.pathname === '/' && url.searchParams.get('sso_error') === null)).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.searchParams.get('sso_error')).toMatch(/^(expired|state_mismatch)$/);
  });
});
