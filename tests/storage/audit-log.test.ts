import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { recordAuditEvent } from '../../src/domain/audit/record-audit-event.js';
import { verifyAuditChain } from '../../src/domain/audit/verify-audit-chain.js';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import { resetPasswordOffline } from '../../src/domain/bootstrap/reset-password-offline.js';
import { describeEachDatabase } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

describeEachDatabase('audit log', (dialect) => {
  const t = useTestApp(dialect);
  const db = () => t().services.database.db;
  const count = async () => Number((await db().selectFrom('audit_events').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('writes exactly one event per change, in the same transaction, with the cli actor', async () => {
    const before = await count();
    const created = await createOwner(t().cliContext(), { username: 'audited', email: 'audited@example.com' });
    expect(await count()).toBe(before + 1);
    await resetPasswordOffline(t().cliContext(), 'audited');
    expect(await count()).toBe(before + 2);
    const events = await db()
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', created?.user.id ?? '')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.actor_type, e.via])).toEqual([
      ['user.created', 'cli', 'cli'],
      ['user.password_reset', 'cli', 'cli'],
    ]);
    expect(JSON.stringify(events)).not.toContain(created?.temporaryPassword);
  });

  it('rolls the event back with the change when the transaction fails', async () => {
    const before = await count();
    await expect(
      t().services.database.transact(async (trx) => {
        await recordAuditEvent(t().cliContext(), trx, { action: 'test.rolled_back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await count()).toBe(before);
  });

  it('refuses UPDATE and DELETE on the audit table at the database level', async () => {
    await expect(sql`UPDATE audit_events SET action = 'forged'`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(db())).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(sql`TRUNCATE audit_events`.execute(db())).rejects.toThrow(/append-only/);
    expect(await count()).toBeGreaterThan(0);
  });

  it('verifies an intact chain and reports the first tampered event', async () => {
    for (let i = 0; i < 3; i++) await resetPasswordOffline(t().cliContext(), 'audited');
    const intact = await verifyAuditChain(t().services.database);
    expect(intact).toMatchObject({ valid: true, brokenAt: null });
    expect(intact.checked).toBe(await count());

    const victim = await db().selectFrom('audit_events').select(['id', 'seq']).orderBy('seq').offset(2).limit(1).executeTakeFirstOrThrow();
    // Tampering needs the trigger out of the way, as an attacker with database access would do.
    if (dialect === 'sqlite') {
      await sql`DROP TRIGGER audit_events_no_update`.execute(db());
      await sql`UPDATE audit_events SET details = '{"forged":true}' WHERE id = ${victim.id}`.execute(db());
    } else {
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`.execute(db());
      await sql`UPDATE audit_events SET details = '{"forged":true}' WHERE id = ${victim.id}`.execute(db());
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change`.execute(db());
    }
    const broken = await verifyAuditChain(t().services.database);
    expect(broken.valid).toBe(false);
    expect(broken.brokenAt).toMatchObject({ id: victim.id, reason: 'hash_mismatch' });
    expect(broken.checked).toBe(3);
  });
});
