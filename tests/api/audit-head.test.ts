import { expect, it } from 'vitest';
import { auditHeadLogger } from '../../src/server/plugins/audit-head-log.js';
import { readChainHead } from '../../src/storage/queries/audit-chain.js';
import { appendTestEvents, deleteEvents, dropAppendOnlyTriggers, rewindHeadRecord } from '../support/audit-tampering.js';
import { describeEachDatabase } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

interface HeadLine {
  level: number;
  msg: string;
  auditHead: { seq: number; hash: string };
  reason: string;
}

// docs/product/audit-log.md#hash-chain: the chain head goes where the database cannot rewrite it (the server log, at
// every log level, at least every 1,000 events and every hour) and to the metric roster_audit_head_seq.
describeEachDatabase('audit chain head in the log and the metrics', (dialect) => {
  // warn: the level at which routine info lines are dropped; the head lines must still be written.
  const t = useTestApp(dialect, { env: { ROSTER_LOG_LEVEL: 'warn' } });
  const headLines = (from = 0): HeadLine[] =>
    t()
      .logs.slice(from)
      .map((line) => JSON.parse(line) as HeadLine)
      .filter((line) => line.msg === 'audit chain head');
  const hashAt = async (seq: number) =>
    (await t().services.database.db.selectFrom('audit_events').select('hash').where('seq', '=', seq).executeTakeFirstOrThrow()).hash;

  it('writes the head at start even when ROSTER_LOG_LEVEL is warn, and nothing else at info', async () => {
    const head = await readChainHead(t().services.database.db);
    const [start] = headLines();
    expect(start).toMatchObject({ reason: 'start', auditHead: { seq: head.seq, hash: head.hash } });
    expect(
      t()
        .logs.map((line) => JSON.parse(line) as { level: number; msg: string })
        .filter((l) => l.level < 40 && l.msg !== 'audit chain head'),
    ).toEqual([]);
  });

  it('writes a line at least every 1,000 events and every hour', async () => {
    const reporter = auditHeadLogger(t().app, t().services);
    const ctx = t().cliContext();
    let from = t().logs.length;
    await reporter.report('tick');
    const first = headLines(from);
    expect(first).toHaveLength(1);
    const base = first[0]?.auditHead.seq ?? 0;

    // Fewer than the next thousand: no line.
    const toNextThousand = 1000 - (base % 1000);
    await appendTestEvents(ctx, toNextThousand - 1, { oneTransaction: true });
    from = t().logs.length;
    await reporter.report('tick');
    expect(headLines(from)).toEqual([]);

    // Passing a multiple of 1,000: a line.
    await appendTestEvents(ctx, 1);
    await reporter.report('tick');
    const thousand = base + toNextThousand;
    expect(headLines(from)).toMatchObject([{ reason: 'events', auditHead: { seq: thousand, hash: await hashAt(thousand) } }]);

    // 2,500 events between two looks: every thousand passed is written too, so no two lines are 1,000 events apart.
    await appendTestEvents(ctx, 2500, { oneTransaction: true });
    from = t().logs.length;
    await reporter.report('tick');
    expect(headLines(from).map((line) => [line.reason, line.auditHead.seq])).toEqual([
      ['milestone', thousand + 1000],
      ['milestone', thousand + 2000],
      ['events', thousand + 2500],
    ]);
    expect(headLines(from)[0]?.auditHead.hash).toBe(await hashAt(thousand + 1000));

    // No events for an hour: a line all the same.
    from = t().logs.length;
    t().clock.advanceMinutes(59);
    await reporter.report('tick');
    expect(headLines(from)).toEqual([]);
    t().clock.advanceMinutes(1);
    await reporter.report('tick');
    expect(headLines(from)).toMatchObject([{ reason: 'hourly', auditHead: { seq: thousand + 2500 } }]);
  }, 120_000);

  it('exposes the head as roster_audit_head_seq', async () => {
    const head = await readChainHead(t().services.database.db);
    const metrics = await t().app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(new RegExp(`^roster_audit_head_seq ${head.seq}$`, 'm'));
    await appendTestEvents(t().cliContext(), 2);
    const after = await t().app.inject({ method: 'GET', url: '/metrics' });
    expect(after.body).toMatch(new RegExp(`^roster_audit_head_seq ${head.seq + 2}$`, 'm'));
  });

  it('writes a warning line when the head went back (a restore, or a cut log)', async () => {
    const reporter = auditHeadLogger(t().app, t().services);
    await reporter.report('tick');
    const from = t().logs.length;
    await dropAppendOnlyTriggers(t().services.database);
    const head = await readChainHead(t().services.database.db);
    await deleteEvents(t().services.database, [head.seq]);
    await rewindHeadRecord(t().services.database);
    await reporter.report('tick');
    expect(headLines(from)).toMatchObject([{ level: 40, reason: 'went_back', auditHead: { seq: head.seq - 1 } }]);
  });
});
