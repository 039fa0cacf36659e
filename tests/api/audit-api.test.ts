import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readChainHead } from '../../src/storage/queries/audit-chain.js';
import { appendTestEvents, deleteEvents, dropAppendOnlyTriggers, eventSeqs, swapEvents } from '../support/audit-tampering.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs, postLogin, type SessionClient } from '../support/session.js';
import { createTestApp, type TestApp, useTestApp } from '../support/test-app.js';

describeEachDatabase('audit log API', (dialect) => {
  const t = useTestApp(dialect);

  it('lists events newest first with filters and a cursor', async () => {
    const member = await buildMember(t());
    for (let i = 0; i < 3; i++) await postLogin(t().app, member.user.username, 'not the password at all');
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const failed = await client.get(`/api/v1/audit?action=auth.login_failed&target=${member.user.id}&limit=2`);
    expect(failed.statusCode).toBe(200);
    const page1 = failed.json() as {
      items: Array<{ seq: number; action: string; outcome: string; target: { id: string } }>;
      nextCursor: string;
    };
    expect(page1.items).toHaveLength(2);
    expect(page1.items.every((e) => e.action === 'auth.login_failed' && e.outcome === 'failure' && e.target.id === member.user.id)).toBe(
      true,
    );
    expect(page1.items[0]?.seq).toBeGreaterThan(page1.items[1]?.seq ?? Number.POSITIVE_INFINITY);
    const page2 = (
      await client.get(`/api/v1/audit?action=auth.login_failed&target=${member.user.id}&limit=2&cursor=${page1.nextCursor}`)
    ).json() as {
      items: unknown[];
      nextCursor: string | null;
    };
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();

    const prefixed = (await client.get('/api/v1/audit?action=auth.*&outcome=success')).json() as { items: Array<{ action: string }> };
    expect(prefixed.items.length).toBeGreaterThan(0);
    expect(prefixed.items.every((e) => e.action.startsWith('auth.'))).toBe(true);
    const future = (await client.get(`/api/v1/audit?since=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).json() as { items: unknown[] };
    expect(future.items).toEqual([]);
    expect((await client.get('/api/v1/audit?cursor=abc')).json().code).toBe('validation_failed');
  });

  it('exports JSON Lines and CSV', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const jsonl = await client.get('/api/v1/audit/export?format=jsonl');
    expect(jsonl.headers['content-type']).toContain('application/x-ndjson');
    const lines = jsonl.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string });
    expect(lines.length).toBeGreaterThan(3);
    const csv = await client.get('/api/v1/audit/export?format=csv&action=auth.login');
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\n');
    expect(rows[0]).toBe(
      'at,seq,id,actor_type,actor_id,actor_name,via,action,target_type,target_id,target_name,outcome,ip,user_agent,request_id,details,hash',
    );
    expect(rows.slice(1).every((row) => row.includes(',auth.login,'))).toBe(true);
  });

  // docs/product/security-settings.md#input
  it('neutralises formulas planted in the CSV export: anonymous login name, User-Agent, project and group names', async () => {
    const loginName = '=HYPERLINK("http://evil.example","x")';
    const userAgent = "@SUM(1+1)*cmd|' /C calc'!A0";
    const projectName = "+cmd|' /C calc'!A0";
    const groupName = '-2+3+cmd|x';
    await postLogin(t().app, loginName, 'not the password at all', { 'user-agent': userAgent });
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    expect((await client.post('/api/v1/projects', { name: projectName })).statusCode).toBe(201);
    expect((await client.post('/api/v1/groups', { name: groupName })).statusCode).toBe(201);

    const csv = await client.get('/api/v1/audit/export?format=csv');
    expect(csv.statusCode).toBe(200);
    const [header, ...rows] = parse(csv.body) as string[][];
    const column = (name: string) => header?.indexOf(name) ?? -1;
    const cells = rows.flat();
    // Nothing a spreadsheet would run is left at the start of any cell...
    expect(cells.filter((cell) => /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell))).toEqual([]);
    // ...and each planted value is still there, behind an apostrophe.
    const targetNames = rows.map((row) => row[column('target_name')]);
    expect(targetNames).toContain(`'${loginName}`);
    expect(targetNames).toContain(`'${projectName}`);
    expect(targetNames).toContain(`'${groupName}`);
    expect(rows.map((row) => row[column('user_agent')])).toContain(`'${userAgent}`);
  });

  it('verifies the chain and reports tampering', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    expect((await client.post('/api/v1/audit/verify')).json()).toMatchObject({ valid: true, brokenAt: null });
    if (dialect === 'sqlite') {
      await sql`DROP TRIGGER audit_events_no_update`.execute(t().services.database.db);
    } else {
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`.execute(t().services.database.db);
    }
    const victim = await t().services.database.db.selectFrom('audit_events').select('id').orderBy('seq').limit(1).executeTakeFirstOrThrow();
    await sql`UPDATE audit_events SET actor_name = 'mallory' WHERE id = ${victim.id}`.execute(t().services.database.db);
    const result = (await client.post('/api/v1/audit/verify')).json();
    expect(result).toMatchObject({ valid: false, brokenAt: { id: victim.id, reason: 'hash_mismatch' } });
  });

  it('is closed to Members', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    for (const url of ['/api/v1/audit', '/api/v1/audit/export']) expect((await client.get(url)).statusCode).toBe(403);
    expect((await client.post('/api/v1/audit/verify')).statusCode).toBe(403);
  });
});

// docs/product/audit-log.md#append-only through the API: with the append-only triggers dropped (someone with database
// access), POST /audit/verify reports deleted, cut and reordered events, and its answer carries the head to record
// elsewhere.
describeEachDatabase('POST /audit/verify on a tampered log', (dialect) => {
  let t: TestApp;
  let client: SessionClient;
  const database = () => t.services.database;
  const verify = async () => (await client.post('/api/v1/audit/verify')).json() as Record<string, unknown>;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    await appendTestEvents(t.cliContext(), 8);
    client = await loginAs(t.app, t.owner.user.username, t.owner.password);
  }, 60_000);
  afterEach(async () => {
    await t?.close();
  });

  it('answers the head of an intact chain', async () => {
    const head = await readChainHead(database().db);
    expect(await verify()).toEqual({ valid: true, checked: head.seq, brokenAt: null, head: { seq: head.seq, hash: head.hash } });
  });

  it('reports an event deleted from the middle', async () => {
    await dropAppendOnlyTriggers(database());
    await deleteEvents(database(), [4]);
    expect(await verify()).toMatchObject({ valid: false, checked: 4, brokenAt: { seq: 5, reason: 'sequence_gap' }, head: { seq: 3 } });
  });

  it('reports a cut tail, before and after new events are written', async () => {
    await dropAppendOnlyTriggers(database());
    const seqs = await eventSeqs(database());
    const last = seqs.at(-1) ?? 0;
    await deleteEvents(database(), [last - 1, last]);
    expect(await verify()).toMatchObject({ valid: false, brokenAt: { id: null, seq: last - 1, at: null, reason: 'tail_missing' } });
    await appendTestEvents(t.cliContext(), 2);
    expect(await verify()).toMatchObject({ valid: false, brokenAt: { seq: last + 1, reason: 'sequence_gap' } });
  });

  it('reports reordered events', async () => {
    await dropAppendOnlyTriggers(database());
    await swapEvents(database(), 2, 6);
    expect(await verify()).toMatchObject({ valid: false, checked: 2, brokenAt: { seq: 2, reason: 'link_mismatch' } });
  });
});
