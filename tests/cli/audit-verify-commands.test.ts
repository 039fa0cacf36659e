import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import {
  appendTestEvents,
  type ChainDatabase,
  deleteEvents,
  dropAppendOnlyTriggers,
  openChainDatabase,
  rewindHeadRecord,
  swapEvents,
} from '../support/audit-tampering.js';
import { describeEachDatabase } from '../support/databases.js';
import { runRosterAsync as runRoster } from '../support/processes.js';

// Every CLI call is a fresh Node process (about 1–4 s on two busy cores), so each case gets a generous budget.
const slow = 240_000;

interface VerifyReport {
  valid: boolean;
  checked: number;
  brokenAt: { id: string | null; seq: number; at: string | null; reason: string } | null;
  head: { seq: number; hash: string } | null;
}

// docs/product/audit-log.md#verification: `roster audit verify` prints the head, accepts --expect-head <seq>:<hash>,
// and (like the API) detects deleted, cut and reordered events once the append-only triggers are gone; `roster doctor`
// reports those triggers.
describeEachDatabase('roster audit verify and doctor on a tampered log', (dialect) => {
  let chain: ChainDatabase;
  const env = () => ({ ROSTER_DATABASE_URL: chain.test.config.url });
  const database = () => chain.services.database;
  beforeEach(async () => {
    chain = await openChainDatabase(dialect);
    await appendTestEvents(chain.context(), 8);
  }, 60_000);
  afterEach(async () => {
    await chain?.close();
  });

  it(
    'prints the head of an intact log and accepts it back as --expect-head',
    async () => {
      const human = await runRoster(['audit', 'verify'], env());
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain('The audit log is intact: 8 events checked.');
      const head = /^Head: (8:[0-9a-f]{64})$/m.exec(human.stdout)?.[1];
      expect(head).toBeDefined();

      await appendTestEvents(chain.context(), 2);
      const later = await runRoster(['audit', 'verify', '--expect-head', head ?? '', '--json'], env());
      expect(later.code, later.stderr).toBe(0);
      expect(JSON.parse(later.stdout)).toMatchObject({ valid: true, checked: 10, head: { seq: 10 }, expectedHead: { seq: 8 } });

      const malformed = await runRoster(['audit', 'verify', '--expect-head', 'eight'], env());
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain('--expect-head takes <seq>:<hash>');
    },
    slow,
  );

  it(
    'fails on an event deleted from the middle',
    async () => {
      await dropAppendOnlyTriggers(database());
      await deleteEvents(database(), [4]);
      const result = await runRoster(['audit', 'verify'], env());
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/BROKEN: event #5 \(.+\) does not follow the event before it/);
      const json = JSON.parse((await runRoster(['audit', 'verify', '--json'], env())).stdout) as VerifyReport;
      expect(json).toMatchObject({ valid: false, checked: 4, brokenAt: { seq: 5, reason: 'sequence_gap' }, head: { seq: 3 } });
    },
    slow,
  );

  it(
    'fails on a cut tail followed by new events',
    async () => {
      await dropAppendOnlyTriggers(database());
      await deleteEvents(database(), [7, 8]);
      await appendTestEvents(chain.context(), 2);
      const result = await runRoster(['audit', 'verify', '--json'], env());
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, brokenAt: { seq: 9, reason: 'sequence_gap' } });
    },
    slow,
  );

  it(
    'fails on reordered events',
    async () => {
      await dropAppendOnlyTriggers(database());
      await swapEvents(database(), 2, 5);
      const result = await runRoster(['audit', 'verify'], env());
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/BROKEN: event #2 \(.+\) is not linked to the event before it/);
    },
    slow,
  );

  it(
    'detects with --expect-head a cut tail without new events, even with the head record rewound',
    async () => {
      const recorded = JSON.parse((await runRoster(['audit', 'verify', '--json'], env())).stdout) as VerifyReport;
      const head = `${recorded.head?.seq}:${recorded.head?.hash}`;
      await dropAppendOnlyTriggers(database());
      await deleteEvents(database(), [7, 8]);

      const cut = await runRoster(['audit', 'verify'], env());
      expect(cut.code).toBe(1);
      expect(cut.stdout).toContain('the newest events were cut from #7 on');

      await rewindHeadRecord(database());
      // The shortened chain is consistent in itself...
      expect((await runRoster(['audit', 'verify'], env())).code).toBe(0);
      // ...but not with the head recorded before.
      const expected = await runRoster(['audit', 'verify', '--expect-head', head], env());
      expect(expected.code).toBe(1);
      expect(expected.stdout).toContain('The expected head #8 is not in the log, which ends at #6: events were cut.');
    },
    slow,
  );

  it(
    'makes doctor report missing append-only triggers',
    async () => {
      await createOwner(chain.context(), { username: 'owner', email: 'owner@example.com' });
      const healthy = await runRoster(['doctor', '--json'], env());
      expect(healthy.code, healthy.stdout).toBe(0);
      await dropAppendOnlyTriggers(database());
      const doctor = await runRoster(['doctor'], env());
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/^audit triggers +PROBLEM +missing or disabled: /m);
      const json = JSON.parse((await runRoster(['doctor', '--json'], env())).stdout) as { healthy: boolean; problems: string[] };
      expect(json.healthy).toBe(false);
      const names =
        dialect === 'sqlite'
          ? 'audit_events_no_update, audit_events_no_delete, audit_chain_forward_only, audit_chain_no_delete'
          : 'audit_events_no_change, audit_events_no_truncate, audit_chain_forward_only, audit_chain_no_truncate';
      expect(json.problems).toEqual([expect.stringContaining(`audit triggers: missing or disabled: ${names}`)]);
    },
    slow,
  );

  it.skipIf(dialect !== 'postgres')(
    'makes doctor report a disabled trigger as missing',
    async () => {
      await createOwner(chain.context(), { username: 'owner', email: 'owner@example.com' });
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`.execute(database().db);
      const json = JSON.parse((await runRoster(['doctor', '--json'], env())).stdout) as { problems: string[] };
      expect(json.problems).toEqual([expect.stringContaining('audit triggers: missing or disabled: audit_events_no_change')]);
    },
    slow,
  );
});
