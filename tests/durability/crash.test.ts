import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/domain/audit/verify-audit-chain.js';
import { openDatabase } from '../../src/storage/database.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runRoster, startRoster } from '../support/processes.js';
import { logInOverHttp } from '../support/session.js';
import { ownerPassword, startWithOwner } from './support.js';

// 12 SIGKILL rounds by default (each kills the server mid-write and checks every change is whole and audited once);
// ROSTER_CRASH_ROUNDS=50 for a longer soak.
const rounds = Number(process.env.ROSTER_CRASH_ROUNDS ?? 12);

/**
 * SIGKILL at random moments while bulk account creation and role changes are in flight (ASVS V16 logging integrity,
 * docs/product/audit-log.md#what-is-recorded: one event per change, in the same transaction). After every crash the
 * database must pass `roster doctor`, each change must be complete or absent, and each change must have exactly one
 * audit event.
 */
describeEachDatabase('durability: crashes during writes', (dialect) => {
  let database: TestDatabase;
  const env = () => ({ ROSTER_DATABASE_URL: database.config.url });
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.drop();
  });

  it(`keeps every change whole and audited once across ${rounds} SIGKILLs`, async () => {
    const first = await startWithOwner(env(), ownerPassword);
    const seedPeople = await first.session.post('/api/v1/people', {
      accounts: Array.from({ length: 4 }, (_, i) => ({ email: `toggle-${i}@example.com` })),
    });
    const toggles = (seedPeople.json().results as Array<{ user: { id: string } }>).map((r) => r.user.id);
    await first.server.stop();

    for (let round = 0; round < rounds; round++) {
      const server = await startRoster(env());
      const session = await logInOverHttp(server.url, 'admin', ownerPassword);
      const work = [
        session
          .post('/api/v1/people', {
            accounts: Array.from({ length: 40 }, (_, i) => ({ email: `r${round}-p${i}@example.com` })),
          })
          .catch(() => null),
        ...toggles.map((id, i) =>
          session.put(`/api/v1/people/${id}/role`, { role: (round + i) % 2 === 0 ? 'admin' : 'member' }).catch(() => null),
        ),
      ];
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 400)));
      server.process.kill('SIGKILL');
      await server.stop();
      await Promise.all(work);
    }

    const doctor = runRoster(['doctor', '--json'], env());
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(JSON.parse(doctor.stdout).healthy).toBe(true);

    const db = openDatabase(database.config);
    try {
      const users = await db.db
        .selectFrom('users')
        .leftJoin('credentials', 'credentials.user_id', 'users.id')
        .select(['users.id', 'users.role', 'credentials.user_id as credential'])
        .execute();
      expect(users.every((u) => u.credential !== null)).toBe(true);
      const created = await db.db.selectFrom('audit_events').select('target_id').where('action', '=', 'user.created').execute();
      const createdCounts = new Map<string, number>();
      for (const e of created) createdCounts.set(e.target_id ?? '', (createdCounts.get(e.target_id ?? '') ?? 0) + 1);
      for (const user of users) expect(createdCounts.get(user.id), `user.created events for ${user.id}`).toBe(1);
      expect(createdCounts.size).toBe(users.length);

      for (const id of toggles) {
        const changes = await db.db
          .selectFrom('audit_events')
          .select('details')
          .where('action', '=', 'user.role_changed')
          .where('target_id', '=', id)
          .orderBy('seq')
          .execute();
        const roles = changes.map((c) => JSON.parse(c.details) as { from: string; to: string });
        const current = users.find((u) => u.id === id)?.role;
        if (roles.length > 0) expect(roles.at(-1)?.to).toBe(current);
        for (let i = 1; i < roles.length; i++) expect(roles[i]?.from).toBe(roles[i - 1]?.to);
      }
      expect((await verifyAuditChain(db)).valid).toBe(true);
    } finally {
      await db.destroy();
    }
  }, 300_000);
});
