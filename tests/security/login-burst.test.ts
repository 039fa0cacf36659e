import { expect, it } from 'vitest';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { postLogin } from '../support/session.js';
import { type TestApp, useTestApp } from '../support/test-app.js';
import { auditEventsSince, lastAuditSeq } from './snapshot.js';

/**
 * Counts the password checks made against a stored hash (the attacker's real guesses), leaving out the dummy checks
 * that unknown, locked and refused logins spend for equal timing (`verify(null, …)`).
 */
function countPasswordChecks(t: TestApp): { readonly count: number; stop(): void } {
  const hasher = t.services.hasher;
  const original = hasher.verify;
  let count = 0;
  hasher.verify = (phc, password) => {
    if (phc !== null) count++;
    return original(phc, password);
  };
  return {
    get count() {
      return count;
    },
    stop() {
      hasher.verify = original;
    },
  };
}

/**
 * Holds the password checks of a burst until `size` of them wait (or `maxWaitMs` passed), then lets them reach the
 * hasher in one turn of the event loop, as logins that arrive at the same moment do. On PostgreSQL the requests of a
 * burst for one account reach the hasher one by one (each first commits its attempt on the account's row), and on a
 * busy machine a check could end before the next one queued, so the queue was never full.
 */
function arriveTogether(t: TestApp, size: number, maxWaitMs = 5_000): { stop(): void } {
  const hasher = t.services.hasher;
  const original = hasher.verify;
  let held: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const releaseAll = () => {
    clearTimeout(timer);
    const now = held;
    held = [];
    for (const release of now) release();
  };
  hasher.verify = (phc, password) =>
    new Promise<void>((resolve) => {
      held.push(resolve);
      if (held.length >= size) releaseAll();
      else timer ??= setTimeout(releaseAll, maxWaitMs);
    }).then(() => original(phc, password));
  return {
    stop() {
      releaseAll();
      hasher.verify = original;
    },
  };
}

async function sessionsOf(t: TestApp, userId: string): Promise<number> {
  const rows = await t.services.database.db.selectFrom('sessions').select('id_digest').where('user_id', '=', userId).execute();
  return rows.length;
}

// docs/product/security-settings.md#temporary-passwords and docs/product/security-settings.md#login-throttling: the
// login limits hold for requests that arrive at the same moment. Real parallel requests through the whole HTTP stack
// (app.inject), on each database.
describeEachDatabase('security: login bursts', (dialect) => {
  // Requests from 127.0.0.1 may name the client in X-Forwarded-For, so a burst can come from one address or many.
  const t = useTestApp(dialect, { env: { ROSTER_TRUSTED_PROXIES: '127.0.0.1' } });
  let addressCounter = 0;
  const freshAddress = () => {
    addressCounter++;
    return `198.18.${addressCounter >> 8}.${addressCounter & 255}`;
  };

  it('gives a burst of 39 wrong passwords and the right one at most 5 password checks and no session', async () => {
    const victim = await buildMember(t());
    const seq = await lastAuditSeq(t());
    const passwords = Array.from({ length: 40 }, (_, i) => (i === 20 ? victim.password : `wrong guess number ${i} for you`));
    const checks = countPasswordChecks(t());
    let answers: Awaited<ReturnType<typeof postLogin>>[];
    try {
      answers = await Promise.all(
        passwords.map((password) => postLogin(t().app, victim.user.username, password, { 'x-forwarded-for': freshAddress() })),
      );
    } finally {
      checks.stop();
    }
    expect(answers.map((a) => a.statusCode)).toEqual(passwords.map(() => 401));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(checks.count).toBeLessThanOrEqual(5);
    expect(await sessionsOf(t(), victim.user.id)).toBe(0);
    // Every attempt is in the audit log, the refused ones included.
    const events = await auditEventsSince(t(), seq);
    expect(events.filter((e) => e.action === 'auth.login_failed' && e.target_id === victim.user.id)).toHaveLength(40);
    expect(events.filter((e) => e.action === 'auth.login')).toHaveLength(0);
  }, 60_000);

  it('gives a 60-request burst from one address at most 10 password checks; the rest answer 429 with Retry-After', async () => {
    const accounts = await Promise.all(Array.from({ length: 60 }, () => buildMember(t())));
    const address = freshAddress();
    const checks = countPasswordChecks(t());
    let answers: Awaited<ReturnType<typeof postLogin>>[];
    try {
      answers = await Promise.all(
        accounts.map((account) => postLogin(t().app, account.user.username, 'a wrong password, again', { 'x-forwarded-for': address })),
      );
    } finally {
      checks.stop();
    }
    expect(checks.count).toBeLessThanOrEqual(10);
    const limited = answers.filter((a) => a.statusCode === 429);
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(10);
    expect(limited).toHaveLength(50);
    for (const answer of limited) {
      expect(answer.json().code).toBe('rate_limited');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
  }, 60_000);

  it('opens exactly one session when six logins with the same temporary password arrive at once', async () => {
    const created = await createOwner(t().cliContext(), { username: 'burst-temporary', email: 'burst-temporary@example.com' });
    if (!created) throw new Error('not created');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        postLogin(t().app, 'burst-temporary', created.temporaryPassword, { 'x-forwarded-for': freshAddress() }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
    for (const refused of answers.filter((a) => a.statusCode === 401)) expect(refused.json().code).toBe('invalid_credentials');
    expect(await sessionsOf(t(), created.user.id)).toBe(1);
    // Spent: a seventh login later fails too.
    t().clock.advanceMinutes(20);
    expect((await postLogin(t().app, 'burst-temporary', created.temporaryPassword)).statusCode).toBe(401);
  }, 60_000);
});

// docs/product/security-settings.md#passwords: a full hashing queue answers 429 with Retry-After too.
describeEachDatabase('security: a full password-hashing queue', (dialect) => {
  const t = useTestApp(dialect, {
    env: { ROSTER_TRUSTED_PROXIES: '127.0.0.1', ROSTER_HASH_CONCURRENCY: '1', ROSTER_HASH_QUEUE_LIMIT: '1' },
  });

  it('answers 429 with Retry-After, and a login refused for a full queue does not count against the account', async () => {
    await t().services.hasher.warmUp();
    const victim = await buildMember(t());
    const together = arriveTogether(t(), 4);
    let answers: Awaited<ReturnType<typeof postLogin>>[];
    try {
      answers = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          postLogin(t().app, victim.user.username, 'not the right password', { 'x-forwarded-for': `198.19.0.${i + 1}` }),
        ),
      );
    } finally {
      together.stop();
    }
    const busy = answers.filter((a) => a.statusCode === 429);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.json().code).toBe('rate_limited');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    const row = await t()
      .services.database.db.selectFrom('users')
      .select('failed_login_count')
      .where('id', '=', victim.user.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.failed_login_count)).toBe(answers.filter((a) => a.statusCode === 401).length);
  }, 60_000);
});
