import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildUser, insertInChunks } from '../../support/factories.js';
import { useTestApp } from '../../support/test-app.js';
import { caller } from './support.js';

describeEachDatabase('exporting people', (dialect) => {
  const t = useTestApp(dialect);

  it('streams a CSV with a header and every person', async () => {
    const owner = await caller(t());
    for (let i = 0; i < 5; i++) await buildUser(t(), { username: `export-${i}`, email: `=export-${i}@example.com` });
    const response = await owner.call('GET', '/api/v1/people/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="roster-people-.*\.csv"/);
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toBe('username,email,role,groups,status,created,last seen');
    const all = await t().services.database.db.selectFrom('users').select('username').where('status', '=', 'active').execute();
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(all.map((u) => u.username).sort());
    // Cells that a spreadsheet would run as formulas are neutralised.
    expect(lines.find((line) => line.startsWith('export-0,'))).toContain("'=export-0@example.com");
  });

  it('neutralises a group name that starts with a formula character (full-width forms are folded to ASCII on input)', async () => {
    const owner = await caller(t());
    const person = await buildUser(t(), { username: 'export-fullwidth' });
    const group = await owner.call('POST', '/api/v1/groups', { name: '＋cmd|calc' });
    expect(group.statusCode).toBe(201);
    const added = await owner.call('PUT', `/api/v1/groups/${group.json().id}/members/${person.user.id}`);
    expect(added.statusCode).toBeLessThan(300);
    const response = await owner.call('GET', '/api/v1/people/export');
    const line = response.body.split('\n').find((row) => row.startsWith('export-fullwidth,'));
    expect(line).toContain(",'+cmd|calc,");
  });

  it('reads in batches, so more people than one batch all arrive once', async () => {
    const owner = await caller(t());
    const db = t().services.database.db;
    const now = t().services.now().toISOString();
    const rows = Array.from({ length: 1100 }, (_, i) => ({
      id: crypto.randomUUID(),
      username: `bulk-${String(i).padStart(4, '0')}`,
      email: `bulk-${i}@example.com`,
      email_canonical: `bulk-${i}@example.com`,
      role: 'member' as const,
      status: 'active' as const,
      must_change_password: 0 as const,
      created_at: now,
      last_seen_at: null,
      removed_at: null,
      last_failed_login_at: null,
      locked_until: null,
    }));
    await insertInChunks(db, 'users', rows, 100);
    const response = await owner.call('GET', '/api/v1/people/export?query=bulk-');
    const usernames = response.body
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(usernames).toHaveLength(1100);
    expect(new Set(usernames).size).toBe(1100);
  });

  it('refuses Members', async () => {
    const member = await caller(t(), 'member');
    const response = await member.call('GET', '/api/v1/people/export');
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
