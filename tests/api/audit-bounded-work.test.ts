import { setImmediate } from 'node:timers/promises';
import { beforeAll, expect, it } from 'vitest';
import { appendTestEvents } from '../support/audit-tampering.js';
import { describeEachDatabase } from '../support/databases.js';
import { loginAs, type SessionClient } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

// docs/product/security-settings.md#bounded-work: POST /audit/verify and the audit export are work no index bounds. On
// SQLite every read blocks the thread (better-sqlite3 is synchronous), so unless they work in slices that yield, one
// verify of a long log holds every other request — logins, /authorize, /healthz — until it ends. These tests show the
// order of answers, not timings. 24 slices of 500 events; /healthz needs only a few turns of the event loop.
const events = 12_000;

describeEachDatabase('audit verify and export are bounded work', (dialect) => {
  const t = useTestApp(dialect);
  let client: SessionClient;
  beforeAll(async () => {
    await appendTestEvents(t().cliContext(), events, { oneTransaction: true });
    client = await loginAs(t().app, t().owner.user.username, t().owner.password);
  }, 180_000);

  /** Starts `long`, lets it begin, then asks for /healthz: which of the two is answered first? */
  async function answerOrder(long: () => Promise<unknown>): Promise<string[]> {
    const order: string[] = [];
    const running = long().then(() => order.push('long'));
    // A few turns of the event loop, so the long request is past authentication and into its work: from there on,
    // work that does not yield would finish before any later turn (and so before /healthz) could run.
    for (let turn = 0; turn < 6; turn++) await setImmediate();
    const health = await t().app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    order.push('healthz');
    await running;
    return order;
  }

  it('answers /healthz while a long verify is still running', async () => {
    let result: unknown;
    const order = await answerOrder(async () => {
      result = (await client.post('/api/v1/audit/verify')).json();
    });
    expect(order).toEqual(['healthz', 'long']);
    expect(result).toMatchObject({ valid: true, brokenAt: null });
    expect((result as { checked: number }).checked).toBeGreaterThanOrEqual(events);
  });

  it('answers /healthz while a long CSV export is still running', async () => {
    let body = '';
    const order = await answerOrder(async () => {
      body = (await client.get('/api/v1/audit/export?format=csv&action=test.event')).body;
    });
    expect(order).toEqual(['healthz', 'long']);
    expect(body.trim().split('\n')).toHaveLength(events + 1);
  });

  it('answers /healthz while a long JSON Lines export is still running', async () => {
    let body = '';
    const order = await answerOrder(async () => {
      body = (await client.get('/api/v1/audit/export?format=jsonl&action=test.event')).body;
    });
    expect(order).toEqual(['healthz', 'long']);
    expect(body.trim().split('\n')).toHaveLength(events);
  });
});
