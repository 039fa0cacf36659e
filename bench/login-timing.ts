/**
 * Failed-login timing, existing account versus unknown name (docs/product/security-settings.md#passwords: timing must
 * not reveal who exists). Not part of `npm run bench` and not a test: a measurement to run by hand when the login path
 * changes.
 *
 *   node --import tsx bench/login-timing.ts [sqlite|postgres] [pairs]
 *
 * Builds a real app (app.inject, the whole HTTP stack) on a fresh database, then sends wrong-password logins for
 * existing accounts and for unknown names, interleaved, each from its own client address (so the per-address limit
 * never answers) and each account at most three times (so the account lock never starts). Prints the medians of the
 * whole request and of the time spent outside the argon2 check, and the medians of the paired differences.
 */
import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { loadConfig } from '../src/config/config.js';
import { argon2Parameters } from '../src/domain/auth/password-hasher.js';
import { openServices } from '../src/runtime.js';
import { buildApp } from '../src/server/app.js';
import { createBenchDatabase } from './lib/setup.js';

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const pairs = Number(process.argv[3] ?? 300);
const attemptsPerAccount = 3;

const database = await createBenchDatabase(dialect, process.env.ROSTER_TEST_DATABASE_URL);
const config = {
  ...loadConfig({ ROSTER_LOG_LEVEL: 'warn', ROSTER_PORT: '0', ROSTER_TRUSTED_PROXIES: '127.0.0.1' }),
  database: database.config,
};
const services = await openServices(config);
const app = await buildApp(services);
try {
  const phc = await hash('the right password for everyone', argon2Parameters);
  const now = new Date().toISOString();
  const names: string[] = [];
  for (let i = 0; i < Math.ceil(pairs / attemptsPerAccount); i++) {
    const id = randomUUID();
    const username = `timing-${i}`;
    names.push(username);
    await services.database.db
      .insertInto('users')
      .values({
        id,
        username,
        email: `${username}@example.com`,
        email_canonical: `${username}@example.com`,
        role: 'member',
        status: 'active',
        must_change_password: 0,
        created_at: now,
        last_seen_at: null,
        removed_at: null,
        last_failed_login_at: null,
        locked_until: null,
      })
      .execute();
    await services.database.db
      .insertInto('credentials')
      .values({ user_id: id, password_hash: phc, is_temporary: 0, expires_at: null, used_at: null, updated_at: now })
      .execute();
  }
  await services.hasher.warmUp();

  // The argon2 check costs the same for both (same parameters, real or dummy hash) but varies by milliseconds on a
  // shared machine; the time spent outside it is where existing and unknown names can differ, so it is kept apart.
  const verify = services.hasher.verify;
  let hashingMs = 0;
  services.hasher.verify = async (phc, password) => {
    const started = performance.now();
    try {
      return await verify(phc, password);
    } finally {
      hashingMs += performance.now() - started;
    }
  };

  let address = 0;
  const attempt = async (login: string) => {
    address++;
    const ip = `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
    hashingMs = 0;
    const started = performance.now();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login, password: 'not the right password at all' },
      headers: { 'x-forwarded-for': ip },
    });
    const total = performance.now() - started;
    if (response.statusCode !== 401) throw new Error(`expected 401, got ${response.statusCode} ${response.body}`);
    return { total, outside: total - hashingMs };
  };

  // Warm-up: prepared statements, JIT, connection pool.
  for (let i = 0; i < 10; i++) await attempt(`nobody-warm-${i}`);

  const existing: Array<{ total: number; outside: number }> = [];
  const unknown: Array<{ total: number; outside: number }> = [];
  for (let i = 0; i < pairs; i++) {
    const name = names[Math.floor(i / attemptsPerAccount)] as string;
    // Alternate which goes first, so a slow moment of the shared machine hits both sides alike.
    if (i % 2 === 0) {
      existing.push(await attempt(name));
      unknown.push(await attempt(`nobody-${i}`));
    } else {
      unknown.push(await attempt(`nobody-${i}`));
      existing.push(await attempt(name));
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return sorted.length % 2 ? (sorted[Math.floor(middle)] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  };
  const report = (label: string, part: 'total' | 'outside') => {
    const a = existing.map((x) => x[part]);
    const b = unknown.map((x) => x[part]);
    // Each pair ran back to back, so its difference cancels most of a shared machine's slow moments.
    const paired = a.map((ms, i) => ms - (b[i] as number));
    console.log(
      `${label.padEnd(26)} existing ${median(a).toFixed(2)} ms, unknown ${median(b).toFixed(2)} ms, ` +
        `difference of medians ${(median(a) - median(b)).toFixed(2)} ms, median paired difference ${median(paired).toFixed(2)} ms`,
    );
  };
  console.log(`${dialect}, ${pairs} pairs of failed logins (medians)`);
  report('whole request', 'total');
  report('outside the argon2 check', 'outside');
} finally {
  await app.close();
  await services.database.destroy();
  await database.drop();
}
