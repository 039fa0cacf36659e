import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { publicSessionId } from '../../src/domain/profile/list-own-sessions.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember, buildOwner, buildProject, grantProjectRole } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { freshGroup, uniqueName } from './route-matrix/table.js';
import { auditEventsSince, lastAuditSeq, snapshotTables } from './snapshot.js';
import { type Actor, buildActor, minimalWebRoot, sendAs, sessionHeaders } from './support/actors.js';

/**
 * IDOR (OWASP API1 "broken object level authorization"): ids of things the caller may not see or change, on every
 * `:id` route, answer 404 or 403 (never 200/204) and change nothing.
 */
describeEachDatabase('security: IDOR on every :id route', (dialect) => {
  const t = useTestApp(dialect, { webRoot: minimalWebRoot() });

  async function expectNothingChanged(
    attempts: Array<{ label: string; run: () => Promise<{ statusCode: number; body: string }>; status: number | number[] }>,
    /** Token callers: their first request stamps the token's lastUsedAt, which is not a change made by the attempt. */
    warm: Actor[] = [],
  ) {
    for (const actor of warm) await actor.send('GET', '/api/v1/me');
    const before = await snapshotTables(t());
    const seq = await lastAuditSeq(t());
    for (const attempt of attempts) {
      const response = await attempt.run();
      const allowed = Array.isArray(attempt.status) ? attempt.status : [attempt.status];
      expect(allowed, `${attempt.label}: ${response.statusCode} ${response.body.slice(0, 200)}`).toContain(response.statusCode);
    }
    expect(await snapshotTables(t())).toEqual(before);
    expect((await auditEventsSince(t(), seq)).filter((event) => event.outcome === 'success').map((e) => e.action)).toEqual([]);
  }

  it("IDOR: another user's session id on DELETE /me/sessions/:id is 404, by token and by session, and the session lives on", async () => {
    const victim = await buildMember(t());
    const victimSession = await sessionHeaders(t(), victim);
    const victimRow = await t()
      .services.database.db.selectFrom('sessions')
      .select('id_digest')
      .where('user_id', '=', victim.user.id)
      .execute();
    const victimId = publicSessionId(victimRow[0]?.id_digest ?? '');
    const attacker = await buildActor(t(), 'member');
    if (!attacker.user) throw new Error('no attacker');
    const attackerSession = await sessionHeaders(t(), attacker.user);
    const admin = await buildActor(t(), 'admin');
    await expectNothingChanged(
      [
        { label: 'member token', run: () => attacker.send('DELETE', `/api/v1/me/sessions/${victimId}`), status: 404 },
        { label: 'member session', run: () => sendAs(t(), attackerSession, 'DELETE', `/api/v1/me/sessions/${victimId}`), status: 404 },
        // Not even an Admin ends someone else's session through the self-service route (that is DELETE /people/:id/sessions).
        { label: 'admin token', run: () => admin.send('DELETE', `/api/v1/me/sessions/${victimId}`), status: 404 },
        { label: 'unknown id', run: () => attacker.send('DELETE', `/api/v1/me/sessions/${'0'.repeat(16)}`), status: 404 },
      ],
      [attacker, admin],
    );
    expect((await sendAs(t(), victimSession, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('IDOR: a project without access is 404 on every project route (same answer as a project that does not exist)', async () => {
    const member = await buildActor(t(), 'member');
    if (!member.user) throw new Error('no member');
    const stranger = await buildMember(t());
    const project = await buildProject(t(), stranger.user);
    const grantee = await buildMember(t());
    await grantProjectRole(t(), project, grantee.user, 'contributor');
    const me = member.user.user.id;
    const id = project.id;
    await expectNothingChanged(
      [
        { label: 'GET', run: () => member.send('GET', `/api/v1/projects/${id}`), status: 404 },
        { label: 'PATCH', run: () => member.send('PATCH', `/api/v1/projects/${id}`, { name: 'hijacked' }), status: 404 },
        { label: 'DELETE', run: () => member.send('DELETE', `/api/v1/projects/${id}`), status: 404 },
        { label: 'owner → me', run: () => member.send('PUT', `/api/v1/projects/${id}/owner`, { userId: me }), status: 404 },
        { label: 'GET access', run: () => member.send('GET', `/api/v1/projects/${id}/access`), status: 404 },
        {
          label: 'grant me admin',
          run: () => member.send('PUT', `/api/v1/projects/${id}/access/user/${me}`, { role: 'admin' }),
          status: 404,
        },
        {
          label: 'revoke grantee',
          run: () => member.send('DELETE', `/api/v1/projects/${id}/access/user/${grantee.user.id}`),
          status: 404,
        },
        {
          label: 'explain on it',
          run: () => member.send('GET', `/api/v1/authorize/explain?permission=project.view&projectId=${id}`),
          status: [200, 404],
        },
      ],
      [member],
    );
    const hidden = await member.send('GET', `/api/v1/projects/${id}`);
    const absent = await member.send('GET', `/api/v1/projects/${randomUUID()}`);
    expect(hidden.json().code).toBe(absent.json().code);
    expect(hidden.body).not.toContain(project.name);
    // The decision API must not leak the project's name either.
    const explained = await member.send('GET', `/api/v1/authorize/explain?permission=project.view&projectId=${id}`);
    expect(explained.body).not.toContain(project.name);
    const decided = await member.send('POST', '/api/v1/authorize', { permission: 'project.view', projectId: id });
    expect(decided.body).not.toContain(project.name);
    if (decided.statusCode === 200) expect(decided.json().allowed).toBe(false);
  });

  it('IDOR: a Reader or Contributor cannot change, take over or escalate on a granted project', async () => {
    for (const role of ['reader', 'contributor'] as const) {
      const member = await buildActor(t(), 'member');
      if (!member.user) throw new Error('no member');
      const stranger = await buildMember(t());
      const project = await buildProject(t(), stranger.user);
      await grantProjectRole(t(), project, member.user.user, role);
      const colleague = await buildMember(t());
      await grantProjectRole(t(), project, colleague.user, 'reader');
      const me = member.user.user.id;
      const id = project.id;
      await expectNothingChanged(
        [
          {
            label: `${role} PATCH`,
            run: () => member.send('PATCH', `/api/v1/projects/${id}`, { name: uniqueName('hijacked') }),
            status: 403,
          },
          { label: `${role} DELETE`, run: () => member.send('DELETE', `/api/v1/projects/${id}`), status: 403 },
          { label: `${role} owner → me`, run: () => member.send('PUT', `/api/v1/projects/${id}/owner`, { userId: me }), status: 403 },
          {
            label: `${role} grant me admin`,
            run: () => member.send('PUT', `/api/v1/projects/${id}/access/user/${me}`, { role: 'admin' }),
            status: 403,
          },
          {
            label: `${role} revoke a colleague`,
            run: () => member.send('DELETE', `/api/v1/projects/${id}/access/user/${colleague.user.id}`),
            status: 403,
          },
        ],
        [member],
      );
    }
  });

  it('IDOR: a Member changes no group, joins no Admin group and removes nobody from a group', async () => {
    const member = await buildActor(t(), 'member');
    if (!member.user) throw new Error('no member');
    const other = await buildMember(t());
    const group = await freshGroup(t(), other.user.id);
    await t().services.database.db.updateTable('groups').set({ role: 'admin' }).where('id', '=', group).execute();
    const me = member.user.user.id;
    await expectNothingChanged(
      [
        { label: 'join admin group', run: () => member.send('PUT', `/api/v1/groups/${group}/members/${me}`), status: 403 },
        { label: 'remove other', run: () => member.send('DELETE', `/api/v1/groups/${group}/members/${other.user.id}`), status: 403 },
        { label: 'rename', run: () => member.send('PATCH', `/api/v1/groups/${group}`, { name: uniqueName('hijacked') }), status: 403 },
        { label: 'demote group', run: () => member.send('PATCH', `/api/v1/groups/${group}`, { role: null }), status: 403 },
        { label: 'delete', run: () => member.send('DELETE', `/api/v1/groups/${group}`), status: 403 },
        {
          label: 'grant group on project',
          run: () => member.send('PUT', `/api/v1/projects/${randomUUID()}/access/group/${group}`, { role: 'admin' }),
          status: 404,
        },
      ],
      [member],
    );
    expect((await member.send('GET', '/api/v1/me')).json().effectiveRole).toBe('member');
  });

  it('IDOR: an Admin cannot act on an Owner or another Admin, nor promote themselves', async () => {
    const admin = await buildActor(t(), 'admin');
    if (!admin.user) throw new Error('no admin');
    const owner = await buildOwner(t());
    const peer = await buildAdmin(t());
    const id = owner.user.id;
    await expectNothingChanged(
      [
        { label: 'owner role', run: () => admin.send('PUT', `/api/v1/people/${id}/role`, { role: 'member' }), status: 403 },
        {
          label: 'owner email',
          run: () => admin.send('PUT', `/api/v1/people/${id}/email`, { email: `${uniqueName('x')}@example.com` }),
          status: 403,
        },
        { label: 'owner reset', run: () => admin.send('POST', `/api/v1/people/${id}/password-reset`, {}), status: 403 },
        { label: 'owner unlock', run: () => admin.send('POST', `/api/v1/people/${id}/unlock`), status: 403 },
        { label: 'owner sessions', run: () => admin.send('DELETE', `/api/v1/people/${id}/sessions`), status: 403 },
        { label: 'owner remove', run: () => admin.send('DELETE', `/api/v1/people/${id}`), status: 403 },
        { label: 'peer admin remove', run: () => admin.send('DELETE', `/api/v1/people/${peer.user.id}`), status: 403 },
        {
          label: 'self promote',
          run: () => admin.send('PUT', `/api/v1/people/${admin.user?.user.id}/role`, { role: 'owner' }),
          status: 403,
        },
      ],
      [admin],
    );
  });

  it('IDOR: a Member may ask the decision API only about themselves', async () => {
    const member = await buildActor(t(), 'member');
    const other = await buildAdmin(t());
    await expectNothingChanged(
      [
        {
          label: 'authorize other',
          run: () => member.send('POST', '/api/v1/authorize', { permission: 'organization.people.view', userId: other.user.id }),
          status: 403,
        },
        {
          label: 'explain other',
          run: () => member.send('GET', `/api/v1/authorize/explain?permission=organization.view&userId=${other.user.id}`),
          status: 403,
        },
        { label: 'person', run: () => member.send('GET', `/api/v1/people/${other.user.id}`), status: 403 },
      ],
      [member],
    );
  });
});
