import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { canonicalAuditJson, chainHash, genesisHash, recordAuditEvent } from '../../src/domain/audit/record-audit-event.js';
import { verifyAuditChain } from '../../src/domain/audit/verify-audit-chain.js';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import { resetPasswordOffline } from '../../src/domain/bootstrap/reset-password-offline.js';
import { offlineRequest } from '../../src/domain/context.js';
import { openServices } from '../../src/runtime.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import {
  appendTestEvents,
  type ChainDatabase,
  deleteEvents,
  dropAppendOnlyTriggers,
  eventSeqs,
  openChainDatabase,
  rewindHeadRecord,
  swapEvents,
} from '../support/audit-tampering.js';
import { createTestDatabase, describeEachDatabase } from '../support/databases.js';
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

  it('refuses UPDATE and DELETE on the audit tables at the database level', async () => {
    await expect(sql`UPDATE audit_events SET action = 'forged'`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(db())).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(sql`TRUNCATE audit_events`.execute(db())).rejects.toThrow(/append-only/);
    expect(await count()).toBeGreaterThan(0);
    // The head record only moves forward, one event at a time: it cannot be rewound, skipped ahead or removed.
    await expect(sql`UPDATE audit_chain SET head_seq = head_seq - 1`.execute(db())).rejects.toThrow(/only moves forward/);
    await expect(sql`UPDATE audit_chain SET head_seq = head_seq + 2`.execute(db())).rejects.toThrow(/only moves forward/);
    await expect(sql`UPDATE audit_chain SET epoch_start_seq = epoch_start_seq + 5`.execute(db())).rejects.toThrow(/only moves forward/);
    await expect(sql`DELETE FROM audit_chain`.execute(db())).rejects.toThrow(/only moves forward/);
    if (dialect === 'postgres') await expect(sql`TRUNCATE audit_chain`.execute(db())).rejects.toThrow(/only moves forward/);
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

/**
 * docs/product/audit-log.md#append-only: with the append-only triggers dropped (someone with file or owner access),
 * deleting, reordering or cutting events is still detected: each event carries the next sequence number, covered by its
 * hash, and the chain's head record (and, beyond the database, the head written to the log) says where the chain ends.
 */
describeEachDatabase('audit chain under tampering', (dialect) => {
  let chain: ChainDatabase;
  beforeEach(async () => {
    chain = await openChainDatabase(dialect);
    await appendTestEvents(chain.context(), 8);
  }, 60_000);
  afterEach(async () => {
    await chain?.close();
  });
  const database = () => chain.services.database;

  it('numbers events without gaps, even across rolled-back transactions, and covers the number by the hash', async () => {
    await expect(
      database().transact(async (trx) => {
        await recordAuditEvent(chain.context(), trx, { action: 'test.rolled_back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await appendTestEvents(chain.context(), 2);
    expect(await eventSeqs(database())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const event = await database().db.selectFrom('audit_events').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
    const { hash, prev_hash, seq, ...fields } = event;
    expect(chainHash(prev_hash, canonicalAuditJson(fields, Number(seq)))).toBe(hash);
    expect(chainHash(prev_hash, canonicalAuditJson(fields, 6))).not.toBe(hash);
    expect(await verifyAuditChain(database())).toEqual({
      valid: true,
      checked: 10,
      brokenAt: null,
      head: { seq: 10, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('reports an event deleted from the middle as a gap at the event after it', async () => {
    await dropAppendOnlyTriggers(database());
    await deleteEvents(database(), [4]);
    const result = await verifyAuditChain(database());
    expect(result).toMatchObject({ valid: false, checked: 4, brokenAt: { seq: 5, reason: 'sequence_gap' }, head: { seq: 3 } });
  });

  it('reports a cut tail, with or without new events written after the cut', async () => {
    await dropAppendOnlyTriggers(database());
    await deleteEvents(database(), [7, 8]);
    expect(await verifyAuditChain(database())).toMatchObject({
      valid: false,
      checked: 6,
      brokenAt: { id: null, seq: 7, at: null, reason: 'tail_missing' },
    });
    // New events continue from the head record, not from the last event left: the gap stays visible.
    await appendTestEvents(chain.context(), 3);
    expect(await eventSeqs(database())).toEqual([1, 2, 3, 4, 5, 6, 9, 10, 11]);
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, checked: 7, brokenAt: { seq: 9, reason: 'sequence_gap' } });
  });

  it('reports reordered events at the first one out of place', async () => {
    await dropAppendOnlyTriggers(database());
    await swapEvents(database(), 3, 6);
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, checked: 3, brokenAt: { seq: 3, reason: 'link_mismatch' } });
  });

  it('reports a replaced tail whose hashes were recomputed, because the head record disagrees', async () => {
    await dropAppendOnlyTriggers(database());
    const [last] = await database().db.selectFrom('audit_events').selectAll().where('seq', '=', 8).execute();
    if (!last) throw new Error('no event 8');
    await deleteEvents(database(), [8]);
    // A forged event #8, correctly linked and hashed, but not the one the head record names.
    const { seq: _seq, hash: _hash, ...fields } = last;
    const forged = { ...fields, id: `${last.id.slice(0, -4)}beef`, details: '{"i":"forged"}' };
    await database()
      .db.insertInto('audit_events')
      .values({ ...forged, seq: 8, hash: chainHash(last.prev_hash, canonicalAuditJson(forged, 8)) })
      .execute();
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, checked: 8, brokenAt: { seq: 8, reason: 'head_mismatch' } });
  });

  it('proves with a recorded head that nothing was cut, even when the head record was rewound too', async () => {
    const recorded = (await verifyAuditChain(database())).head;
    if (!recorded) throw new Error('no head');
    expect(await verifyAuditChain(database(), { expectHead: recorded })).toMatchObject({ valid: true, checked: 8 });
    await appendTestEvents(chain.context(), 2);
    expect(await verifyAuditChain(database(), { expectHead: recorded })).toMatchObject({ valid: true, checked: 10 });

    await dropAppendOnlyTriggers(database());
    await deleteEvents(database(), [8, 9, 10]);
    await rewindHeadRecord(database());
    // Without the recorded head, the shortened chain looks whole; with it, the cut shows.
    expect(await verifyAuditChain(database())).toMatchObject({ valid: true, checked: 7 });
    expect(await verifyAuditChain(database(), { expectHead: recorded })).toMatchObject({
      valid: false,
      checked: 7,
      brokenAt: { id: null, seq: 8, at: null, reason: 'expected_head_missing' },
    });
    expect(await verifyAuditChain(database(), { expectHead: { seq: 5, hash: 'f'.repeat(64) } })).toMatchObject({
      valid: false,
      brokenAt: { seq: 5, reason: 'expected_head_mismatch' },
    });
  });

  it('reports events written around Roster after the head record', async () => {
    await dropAppendOnlyTriggers(database());
    await sql`UPDATE audit_chain SET head_seq = 6, head_hash = (SELECT hash FROM audit_events WHERE seq = 6)`.execute(database().db);
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, checked: 8, brokenAt: { seq: 7, reason: 'after_head' } });
  });
});

describeEachDatabase('audit chain written before the sequence epoch', (dialect) => {
  const legacyCount = 5;
  let chain: ChainDatabase;
  beforeEach(async () => {
    // A database as Roster left it before migration 0005: identity numbers, hashes that do not cover them.
    const test = await createTestDatabase(dialect);
    const legacy = openDatabase(test.config);
    const before = migrations.slice(
      0,
      migrations.findIndex((m) => m.name.startsWith('0005')),
    );
    await migrateToLatest(legacy, before);
    let previous = genesisHash;
    for (let i = 0; i < legacyCount; i++) {
      const event = {
        id: randomUUID(),
        at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        actor_type: 'cli' as const,
        actor_id: null,
        actor_name: 'cli',
        via: 'cli' as const,
        action: 'test.legacy',
        target_type: null,
        target_id: null,
        target_name: null,
        outcome: 'success' as const,
        ip: null,
        user_agent: null,
        request_id: null,
        details: JSON.stringify({ i }),
      };
      const hash = chainHash(previous, canonicalAuditJson(event, null));
      await sql`INSERT INTO audit_events (id, at, actor_type, actor_id, actor_name, via, action, target_type, target_id, target_name,
        outcome, ip, user_agent, request_id, details, prev_hash, hash) VALUES (${event.id}, ${event.at}, 'cli', NULL, 'cli', 'cli',
        'test.legacy', NULL, NULL, NULL, 'success', NULL, NULL, NULL, ${event.details}, ${previous}, ${hash})`.execute(legacy.db);
      previous = hash;
      if (dialect === 'postgres' && i === 2) {
        // A rolled-back insert leaves a hole in an identity column: the old epoch tolerates it, as it always did.
        await legacy
          .transact(async (trx) => {
            await sql`INSERT INTO audit_events (id, at, actor_type, via, action, outcome, details, prev_hash, hash)
              VALUES ('rolled-back', '2026-01-01', 'cli', 'cli', 'x', 'success', '{}', 'x', 'x')`.execute(trx);
            throw new Error('roll back');
          })
          .catch(() => undefined);
      }
    }
    await legacy.destroy();
    const services = await openServices({ ...loadConfig({ ROSTER_LOG_LEVEL: 'warn' }), database: test.config });
    chain = {
      test,
      services,
      context: () => ({ ...services, caller: { kind: 'cli' }, request: offlineRequest('cli') }),
      async close() {
        await services.database.destroy();
        await test.drop();
      },
    };
    await appendTestEvents(chain.context(), 3);
  }, 60_000);
  afterEach(async () => {
    await chain?.close();
  });
  const database = () => chain.services.database;

  it('keeps verifying the old events and continues the chain as a new epoch', async () => {
    const seqs = await eventSeqs(database());
    const oldSeqs = seqs.slice(0, legacyCount);
    const lastOld = oldSeqs.at(-1) ?? 0;
    expect(seqs.slice(legacyCount)).toEqual([lastOld + 1, lastOld + 2, lastOld + 3]);
    if (dialect === 'postgres') expect(lastOld).toBe(legacyCount + 1);
    expect(await verifyAuditChain(database())).toMatchObject({ valid: true, checked: legacyCount + 3, head: { seq: lastOld + 3 } });
  });

  it('reports the last old event cut at the boundary, and the first new one deleted', async () => {
    await dropAppendOnlyTriggers(database());
    const seqs = await eventSeqs(database());
    const firstNew = seqs[legacyCount] ?? 0;
    await deleteEvents(database(), [firstNew]);
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, brokenAt: { seq: firstNew + 1, reason: 'sequence_gap' } });
    await deleteEvents(database(), [firstNew - 1]);
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, checked: legacyCount, brokenAt: { seq: firstNew + 1 } });
  });

  it('does not accept a new event re-hashed in the old form', async () => {
    await dropAppendOnlyTriggers(database());
    const seqs = await eventSeqs(database());
    const target = seqs[legacyCount + 1] ?? 0;
    const row = await database().db.selectFrom('audit_events').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
    const { seq: _seq, hash: _hash, prev_hash, ...fields } = row;
    await database()
      .db.updateTable('audit_events')
      .set({ hash: chainHash(prev_hash, canonicalAuditJson(fields, null)) })
      .where('seq', '=', target)
      .execute();
    expect(await verifyAuditChain(database())).toMatchObject({ valid: false, brokenAt: { seq: target, reason: 'hash_mismatch' } });
  });
});
