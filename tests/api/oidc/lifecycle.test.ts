import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { resetMfaOffline, resetPasswordOffline } from '../../../src/domain/bootstrap/reset-password-offline.js';
import { sessionDigest } from '../../../src/domain/sessions/session-tokens.js';
import type { OidcPayloadsTable } from '../../../src/storage/schema.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildApiToken, buildMember, buildOwner, type TestUser } from '../../support/factories.js';
import { loginAs, type SessionClient } from '../../support/session.js';
import { type TestApp, useTestApp } from '../../support/test-app.js';

/**
 * When something happens to a person in Roster, what the OpenID Connect provider issued to them goes in the same
 * transaction (docs/decisions/0024-openid-connect-provider.md): removal, password and 2FA resets, ended sessions, a
 * password or email change, leaving an application's allowed groups; logging out ends the provider sessions opened in
 * that console session. The provider's rows are inserted directly: the change goes through the HTTP API.
 */

type Row = OidcPayloadsTable;

function payloadRow(model: string, fields: Partial<Row>): Row {
  return {
    model,
    id: randomUUID(),
    payload: JSON.stringify({ kind: model }),
    grant_id: null,
    account_id: null,
    client_id: null,
    uid: null,
    roster_session: null,
    expires_at: '2999-01-01T00:00:00.000Z',
    consumed_at: null,
    ...fields,
  };
}

/** A provider session, and a grant with its code and tokens for `clientId`, as the library would store them. */
function rowsOfPerson(accountId: string, clientId: string, rosterSession: string | null = null): Row[] {
  const grant = randomUUID();
  return [
    payloadRow('Session', { account_id: accountId, uid: randomUUID(), roster_session: rosterSession ?? randomUUID() }),
    payloadRow('Grant', { account_id: accountId, client_id: clientId, grant_id: grant }),
    payloadRow('AuthorizationCode', { account_id: accountId, client_id: clientId, grant_id: grant }),
    payloadRow('AccessToken', { account_id: accountId, client_id: clientId, grant_id: grant }),
    payloadRow('RefreshToken', { account_id: accountId, client_id: clientId, grant_id: grant }),
  ];
}

async function insertRows(t: TestApp, rows: Row[]): Promise<void> {
  await t.services.database.db.insertInto('oidc_payloads').values(rows).execute();
}

/** `model:id` of every row, sorted: what is left. */
async function remainingIds(t: TestApp): Promise<string[]> {
  const rows = await t.services.database.db.selectFrom('oidc_payloads').select(['model', 'id']).execute();
  return rows.map((r) => `${r.model}:${r.id}`).sort();
}

const idsOf = (rows: Row[]) => rows.map((r) => `${r.model}:${r.id}`).sort();

/**
 * The person's rows, another person's rows and a client-credentials token (no account) for the same application.
 * `expectRevoked` asserts the person's rows are gone and nothing else; `expectUntouched` that everything is there.
 */
async function providerState(t: TestApp, person: { id: string }, clientId = `app-${randomUUID().slice(0, 8)}`) {
  const other = await buildMember(t);
  const mine = rowsOfPerson(person.id, clientId);
  const others = [...rowsOfPerson(other.user.id, clientId), payloadRow('ClientCredentials', { client_id: clientId })];
  await insertRows(t, [...mine, ...others]);
  const before = await remainingIds(t);
  return {
    mine,
    async expectRevoked() {
      const after = await remainingIds(t);
      for (const id of idsOf(mine)) expect(after).not.toContain(id);
      expect(after).toEqual(before.filter((id) => !idsOf(mine).includes(id)));
    },
    async expectUntouched() {
      expect(await remainingIds(t)).toEqual(before);
    },
  };
}

/** The details of the newest audit event of `action` about `targetId`. */
async function lastDetails(t: TestApp, action: string, targetId: string): Promise<Record<string, unknown>> {
  const row = await t.services.database.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .where('outcome', '=', 'success')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  return JSON.parse(row.details ?? '{}') as Record<string, unknown>;
}

/** A caller with a personal API token. */
async function tokenCaller(t: TestApp, person: TestUser) {
  const token = await buildApiToken(t, person.user);
  return (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
}

const rawSessionOf = (client: SessionClient) => client.cookie.slice(client.cookie.indexOf('=') + 1);

describeEachDatabase('OpenID Connect: what happens to a person revokes what the provider issued to them', (dialect) => {
  const t = useTestApp(dialect);

  it('removing a person revokes every grant, token and provider session they hold; a refused removal revokes nothing', async () => {
    const admin = await tokenCaller(t(), await buildAdmin(t()));
    const owner = await tokenCaller(t(), await buildOwner(t()));
    const protectedOwner = await buildOwner(t());
    const untouched = await providerState(t(), protectedOwner.user);
    expect((await admin('DELETE', `/api/v1/people/${protectedOwner.user.id}`)).statusCode).toBe(403);
    await untouched.expectUntouched();

    const target = await buildMember(t());
    const state = await providerState(t(), target.user);
    expect((await owner('DELETE', `/api/v1/people/${target.user.id}`)).statusCode).toBe(204);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'user.removed', target.user.id)).toMatchObject({ oidcRevoked: 5 });
  });

  it("an administrator's password reset revokes them, with or without the 2FA reset; a refused one revokes nothing", async () => {
    const admin = await tokenCaller(t(), await buildAdmin(t()));
    const otherAdmin = await buildAdmin(t());
    const untouched = await providerState(t(), otherAdmin.user);
    expect((await admin('POST', `/api/v1/people/${otherAdmin.user.id}/password-reset`, {})).statusCode).toBe(403);
    await untouched.expectUntouched();

    const target = await buildMember(t());
    const state = await providerState(t(), target.user);
    const reset = await admin('POST', `/api/v1/people/${target.user.id}/password-reset`, {});
    expect(reset.statusCode, reset.body).toBe(200);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'user.password_reset', target.user.id)).toMatchObject({ oidcRevoked: 5 });

    const both = await buildMember(t());
    const bothState = await providerState(t(), both.user);
    const resetBoth = await admin('POST', `/api/v1/people/${both.user.id}/password-reset`, { alsoResetMfa: true });
    expect(resetBoth.statusCode, resetBoth.body).toBe(200);
    await bothState.expectRevoked();
  });

  it('a 2FA reset revokes them; a refused one revokes nothing', async () => {
    const admin = await tokenCaller(t(), await buildAdmin(t()));
    const otherAdmin = await buildAdmin(t());
    const untouched = await providerState(t(), otherAdmin.user);
    expect((await admin('POST', `/api/v1/people/${otherAdmin.user.id}/mfa-reset`)).statusCode).toBe(403);
    await untouched.expectUntouched();

    const target = await buildMember(t());
    const state = await providerState(t(), target.user);
    const reset = await admin('POST', `/api/v1/people/${target.user.id}/mfa-reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toEqual({ factorsRemoved: 0, sessionsEnded: 0 });
    await state.expectRevoked();
    expect(await lastDetails(t(), 'mfa.reset', target.user.id)).toMatchObject({ oidcRevoked: 5 });
  });

  it('the server-side roster admin reset-password and reset-2fa revoke them too', async () => {
    const first = await buildMember(t());
    const firstState = await providerState(t(), first.user);
    await resetPasswordOffline(t().cliContext(), first.user.username);
    await firstState.expectRevoked();

    const second = await buildMember(t());
    const secondState = await providerState(t(), second.user);
    await resetMfaOffline(t().cliContext(), second.user.username);
    await secondState.expectRevoked();
  });

  it("ending a person's sessions revokes them; a refused one revokes nothing", async () => {
    const admin = await tokenCaller(t(), await buildAdmin(t()));
    const owner = await buildOwner(t());
    const untouched = await providerState(t(), owner.user);
    expect((await admin('DELETE', `/api/v1/people/${owner.user.id}/sessions`)).statusCode).toBe(403);
    await untouched.expectUntouched();

    const target = await buildMember(t());
    const state = await providerState(t(), target.user);
    const ended = await admin('DELETE', `/api/v1/people/${target.user.id}/sessions`);
    expect(ended.statusCode, ended.body).toBe(200);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'session.revoked', target.user.id)).toMatchObject({ oidcRevoked: 5, all: true });
  });

  it('signing out everywhere else revokes them, and is audited even when no other console session was left', async () => {
    const person = await buildMember(t());
    const client = await loginAs(t().app, person.user.username, person.password);
    const state = await providerState(t(), person.user);
    const response = await client.delete('/api/v1/me/sessions');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ sessionsEnded: 0 });
    await state.expectRevoked();
    expect(await lastDetails(t(), 'session.revoked', person.user.id)).toMatchObject({ sessionsEnded: 0, oidcRevoked: 5 });
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('changing the own password revokes them; a wrong current password revokes nothing', async () => {
    const person = await buildMember(t());
    const client = await loginAs(t().app, person.user.username, person.password);
    const state = await providerState(t(), person.user);
    const wrong = await client.post('/api/v1/auth/password', {
      currentPassword: 'not the password at all',
      newPassword: 'a new horse battery',
    });
    expect(wrong.statusCode).toBe(403);
    await state.expectUntouched();

    const changed = await client.post('/api/v1/auth/password', { currentPassword: person.password, newPassword: 'a new horse battery' });
    expect(changed.statusCode, changed.body).toBe(200);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'user.password_changed', person.user.id)).toMatchObject({ forced: false, oidcRevoked: 5 });
  });

  it('the forced change after a temporary password revokes them', async () => {
    const owner = await tokenCaller(t(), await buildOwner(t()));
    const person = await buildMember(t());
    const temporary = (await owner('POST', `/api/v1/people/${person.user.id}/password-reset`, {})).json().temporaryPassword as string;
    const restricted = await loginAs(t().app, person.user.username, temporary);
    const state = await providerState(t(), person.user);
    const changed = await restricted.post('/api/v1/auth/password', { newPassword: 'a brand new horse battery' });
    expect(changed.statusCode, changed.body).toBe(200);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'user.password_changed', person.user.id)).toMatchObject({ forced: true, oidcRevoked: 5 });
  });

  it('changing the own email revokes them; a wrong current password revokes nothing', async () => {
    const person = await buildMember(t());
    const client = await loginAs(t().app, person.user.username, person.password);
    const state = await providerState(t(), person.user);
    const email = `${person.user.username}@moved.example`;
    expect((await client.post('/api/v1/me/email', { email, currentPassword: 'not the password at all' })).statusCode).toBe(403);
    await state.expectUntouched();

    const changed = await client.post('/api/v1/me/email', { email, currentPassword: person.password });
    expect(changed.statusCode, changed.body).toBe(200);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'user.email_changed', person.user.id)).toMatchObject({ to: email, oidcRevoked: 5 });
  });

  it("an administrator's email change revokes them; a refused one revokes nothing", async () => {
    const admin = await tokenCaller(t(), await buildAdmin(t()));
    const owner = await buildOwner(t());
    const untouched = await providerState(t(), owner.user);
    expect((await admin('PUT', `/api/v1/people/${owner.user.id}/email`, { email: 'elsewhere@moved.example' })).statusCode).toBe(403);
    await untouched.expectUntouched();

    const target = await buildMember(t());
    const state = await providerState(t(), target.user);
    const email = `${target.user.username}@moved.example`;
    const changed = await admin('PUT', `/api/v1/people/${target.user.id}/email`, { email });
    expect(changed.statusCode, changed.body).toBe(200);
    await state.expectRevoked();
    expect(await lastDetails(t(), 'user.email_changed', target.user.id)).toMatchObject({ byAdmin: true, oidcRevoked: 5 });
  });

  it('logging out ends only the provider sessions opened in that console session', async () => {
    const person = await buildMember(t());
    const leaving = await loginAs(t().app, person.user.username, person.password);
    const staying = await loginAs(t().app, person.user.username, person.password);
    const clientId = `app-${randomUUID().slice(0, 8)}`;
    const ofLeaving = rowsOfPerson(person.user.id, clientId, sessionDigest(rawSessionOf(leaving)));
    const ofStaying = rowsOfPerson(person.user.id, clientId, sessionDigest(rawSessionOf(staying)));
    await insertRows(t(), [...ofLeaving, ...ofStaying]);
    const before = await remainingIds(t());

    expect((await leaving.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const providerSession = ofLeaving.filter((r) => r.model === 'Session');
    expect(providerSession).toHaveLength(1);
    expect(await remainingIds(t())).toEqual(before.filter((id) => !idsOf(providerSession).includes(id)));
    expect((await staying.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('signing out one own session ends only the provider sessions opened in it', async () => {
    const person = await buildMember(t());
    const current = await loginAs(t().app, person.user.username, person.password);
    const other = await loginAs(t().app, person.user.username, person.password);
    const clientId = `app-${randomUUID().slice(0, 8)}`;
    const ofOther = rowsOfPerson(person.user.id, clientId, sessionDigest(rawSessionOf(other)));
    const ofCurrent = rowsOfPerson(person.user.id, clientId, sessionDigest(rawSessionOf(current)));
    await insertRows(t(), [...ofOther, ...ofCurrent]);
    const before = await remainingIds(t());

    const items = (await current.get('/api/v1/me/sessions')).json().items as Array<{ id: string; current: boolean }>;
    const target = items.find((s) => !s.current);
    if (!target) throw new Error('no other session');
    expect((await current.delete(`/api/v1/me/sessions/${target.id}`)).statusCode).toBe(204);
    const providerSession = ofOther.filter((r) => r.model === 'Session');
    expect(await remainingIds(t())).toEqual(before.filter((id) => !idsOf(providerSession).includes(id)));
  });
});

describeEachDatabase('OpenID Connect: leaving the groups an application allows revokes access to that application', (dialect) => {
  const t = useTestApp(dialect);

  async function ownerClient() {
    return loginAs(t().app, t().owner.user.username, t().owner.password);
  }

  async function createGroup(client: SessionClient, name: string): Promise<string> {
    const created = await client.post('/api/v1/groups', { name: `${name}-${randomUUID().slice(0, 6)}` });
    expect(created.statusCode, created.body).toBe(201);
    return (created.json() as { id: string }).id;
  }

  async function join(client: SessionClient, groupId: string, userId: string) {
    expect((await client.put(`/api/v1/groups/${groupId}/members/${userId}`)).json()).toEqual({ changed: true });
  }

  /** An application row; restricted to `groupIds` when given. Returns its client id. */
  async function createApplication(groupIds?: string[]): Promise<string> {
    const db = t().services.database.db;
    const id = randomUUID();
    const clientId = `client-${id.slice(0, 8)}`;
    const now = t().services.now().toISOString();
    await db
      .insertInto('applications')
      .values({
        id,
        client_id: clientId,
        name: `App ${id.slice(0, 8)}`,
        type: 'public',
        redirect_uris: JSON.stringify(['https://app.example/callback']),
        restricted_to_groups: groupIds ? 1 : 0,
        secret_digest: null,
        previous_secret_digest: null,
        previous_secret_expires_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (groupIds && groupIds.length > 0)
      await db
        .insertInto('application_groups')
        .values(groupIds.map((group_id) => ({ application_id: id, group_id })))
        .execute();
    return clientId;
  }

  it("removing a person from the only allowed group revokes that application's grants only; another allowed group keeps them", async () => {
    const owner = await ownerClient();
    const g = await createGroup(owner, 'G');
    const h = await createGroup(owner, 'H');
    const restricted = await createApplication([g, h]);
    const onlyG = await createApplication([g]);
    const open = await createApplication();

    const leaver = await buildMember(t());
    const inBoth = await buildMember(t());
    for (const person of [leaver, inBoth]) await join(owner, g, person.user.id);
    await join(owner, h, inBoth.user.id);
    const leaverOnlyG = rowsOfPerson(leaver.user.id, onlyG).filter((r) => r.model !== 'Session');
    const leaverRestricted = rowsOfPerson(leaver.user.id, restricted).filter((r) => r.model !== 'Session');
    const leaverOpen = rowsOfPerson(leaver.user.id, open);
    const bothRestricted = rowsOfPerson(inBoth.user.id, restricted).filter((r) => r.model !== 'Session');
    const bothOnlyG = rowsOfPerson(inBoth.user.id, onlyG).filter((r) => r.model !== 'Session');
    const clientCredentials = payloadRow('ClientCredentials', { client_id: onlyG });
    await insertRows(t(), [...leaverOnlyG, ...leaverRestricted, ...leaverOpen, ...bothRestricted, ...bothOnlyG, clientCredentials]);
    const before = await remainingIds(t());

    // Leaving G: out of both restricted applications (H never let them in); the open one stays.
    expect((await owner.delete(`/api/v1/groups/${g}/members/${leaver.user.id}`)).json()).toEqual({ changed: true });
    const gone = idsOf([...leaverOnlyG, ...leaverRestricted]);
    expect(await remainingIds(t())).toEqual(before.filter((id) => !gone.includes(id)));
    expect(await lastDetails(t(), 'group.member_removed', g)).toMatchObject({ userId: leaver.user.id, oidcRevoked: 8 });

    // Leaving H while still in G: both applications allow G, nothing goes.
    const beforeH = await remainingIds(t());
    expect((await owner.delete(`/api/v1/groups/${h}/members/${inBoth.user.id}`)).json()).toEqual({ changed: true });
    expect(await remainingIds(t())).toEqual(beforeH);
  });

  it('a refused removal from a group or deletion of a group revokes nothing', async () => {
    const owner = await ownerClient();
    const g = await createGroup(owner, 'G');
    const onlyG = await createApplication([g]);
    const person = await buildMember(t());
    await join(owner, g, person.user.id);
    await insertRows(t(), rowsOfPerson(person.user.id, onlyG));
    const before = await remainingIds(t());
    // A Member does not manage groups.
    const member = await buildMember(t());
    const memberClient = await loginAs(t().app, member.user.username, member.password);
    expect((await memberClient.delete(`/api/v1/groups/${g}/members/${person.user.id}`)).statusCode).toBe(403);
    expect((await memberClient.delete(`/api/v1/groups/${g}`)).statusCode).toBe(403);
    expect(await remainingIds(t())).toEqual(before);
  });

  it("deleting a group revokes its members' grants for the applications only it allowed", async () => {
    const owner = await ownerClient();
    const g = await createGroup(owner, 'G');
    const h = await createGroup(owner, 'H');
    const onlyG = await createApplication([g]);
    const gOrH = await createApplication([g, h]);
    const open = await createApplication();
    const member = await buildMember(t());
    const alsoInH = await buildMember(t());
    const outsider = await buildMember(t());
    for (const person of [member, alsoInH]) await join(owner, g, person.user.id);
    await join(owner, h, alsoInH.user.id);

    const memberOnlyG = rowsOfPerson(member.user.id, onlyG).filter((r) => r.model !== 'Session');
    const memberGOrH = rowsOfPerson(member.user.id, gOrH).filter((r) => r.model !== 'Session');
    const memberOpen = rowsOfPerson(member.user.id, open);
    const alsoInHOnlyG = rowsOfPerson(alsoInH.user.id, onlyG).filter((r) => r.model !== 'Session');
    const alsoInHGOrH = rowsOfPerson(alsoInH.user.id, gOrH).filter((r) => r.model !== 'Session');
    // Never a member: not this deletion's business (the provider refuses them at the next refresh).
    const outsiderOnlyG = rowsOfPerson(outsider.user.id, onlyG).filter((r) => r.model !== 'Session');
    await insertRows(t(), [...memberOnlyG, ...memberGOrH, ...memberOpen, ...alsoInHOnlyG, ...alsoInHGOrH, ...outsiderOnlyG]);
    const before = await remainingIds(t());

    expect((await owner.delete(`/api/v1/groups/${g}`)).statusCode).toBe(204);
    const gone = idsOf([...memberOnlyG, ...memberGOrH, ...alsoInHOnlyG]);
    expect(await remainingIds(t())).toEqual(before.filter((id) => !gone.includes(id)));
    expect(await lastDetails(t(), 'group.deleted', g)).toMatchObject({ oidcRevoked: 12 });
  });
});
