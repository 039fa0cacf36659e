import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type Config, type DatabaseConfig, loadConfig } from '../../src/config/config.js';
import { sha256Hex } from '../../src/domain/auth/secrets.js';
import { offlineRequest } from '../../src/domain/context.js';
import { seedPeople } from '../../src/domain/people/seed-people.js';
import { apiTokenPrefix, generateApiToken } from '../../src/domain/tokens/api-token-format.js';
import { openServices } from '../../src/runtime.js';

export type BenchDialect = 'sqlite' | 'postgres';

export interface BenchDatabase {
  dialect: BenchDialect;
  config: DatabaseConfig;
  /**
   * A copy of this database as it is now, dropped with it or by its own drop(). On PostgreSQL the copy is made from
   * the database as a template, so nothing may be connected to it (make it before a server starts).
   */
  copy(): Promise<BenchDatabase>;
  drop(): Promise<void>;
}

/** A fresh database: a temp SQLite file, or a PostgreSQL database with a random name (dropped afterwards). */
export async function createBenchDatabase(dialect: BenchDialect, adminUrl?: string): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-bench-'));
    return sqliteBenchDatabase(dir, path.join(dir, 'roster.db'));
  }
  if (!adminUrl) throw new Error('ROSTER_TEST_DATABASE_URL is not set');
  return postgresBenchDatabase(adminUrl, null);
}

/** A SQLite bench database in `dir` (its copies sit beside it, and the folder goes with the first database). */
function sqliteBenchDatabase(dir: string, file: string): BenchDatabase {
  return {
    dialect: 'sqlite',
    config: { kind: 'sqlite', file, url: `sqlite:${file}` },
    copy: async () => {
      const copy = path.join(dir, `roster-${randomBytes(4).toString('hex')}.db`);
      const source = new Database(file, { readonly: true, fileMustExist: true });
      try {
        await source.backup(copy);
      } finally {
        source.close();
      }
      // The secret store's key file beside the database (docs/deployment.md), when the seed made one: a copy without it
      // would not start (the canary refuses a missing key).
      if (fs.existsSync(`${file}.secret-key`)) fs.copyFileSync(`${file}.secret-key`, `${copy}.secret-key`);
      // Its own drop removes what the copy made (the folder goes with the first database).
      const made = [copy, `${copy}-wal`, `${copy}-shm`, `${copy}.secret-key`];
      const drop = async () => {
        for (const file of made) fs.rmSync(file, { force: true });
      };
      return { ...sqliteBenchDatabase(dir, copy), drop };
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A PostgreSQL bench database with a random name, empty or copied from `template`. */
async function postgresBenchDatabase(adminUrl: string, template: string | null): Promise<BenchDatabase> {
  const name = `roster_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    config: { kind: 'postgres', url: url.href },
    copy: () => postgresBenchDatabase(adminUrl, name),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(adminUrl: string, work: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

export interface BenchFixture {
  /** Bearer token of an Owner (People list, bulk creation). */
  ownerToken: string;
  /** Bearer token of a Member who reaches `projectId` only through the group. */
  memberToken: string;
  /** A Member service account's `rss_` token (90 days), in the same group: /authorize measured beside the person's. */
  serviceAccountToken: string;
  memberId: string;
  projectId: string;
  /**
   * Accounts with a permanent password, for the login scenario: logins spread over them (and over client addresses),
   * as real traffic is, so that the scenario measures hashing capacity, not the per-account limit
   * (docs/product/security-settings.md#login-throttling: at most 5 attempts of one account in flight).
   */
  loginNames: string[];
  loginPassword: string;
  people: number;
  seedSeconds: number;
}

type BenchDb = Awaited<ReturnType<typeof openServices>>['database']['db'];

/** A person with a permanent password (its hash given), straight into the tables; returns the id. */
export async function insertBenchPerson(
  db: BenchDb,
  username: string,
  role: 'owner' | 'member',
  passwordHash: string,
  now: string,
): Promise<string> {
  const id = randomUUID();
  const email = `${username}@bench.example`;
  await db
    .insertInto('users')
    .values({ id, username, email, email_canonical: email, role, status: 'active', must_change_password: 0, created_at: now })
    .execute();
  await db.insertInto('credentials').values({ user_id: id, password_hash: passwordHash, is_temporary: 0, updated_at: now }).execute();
  return id;
}

/** A Member service account; returns the id. */
export async function insertBenchServiceAccount(
  db: BenchDb,
  username: string,
  now: string,
  createdBy: string | null = null,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('users')
    .values({
      id,
      username,
      email: '',
      email_canonical: '',
      role: 'member',
      status: 'active',
      type: 'service_account',
      must_change_password: 0,
      created_at: now,
      created_by: createdBy,
    })
    .execute();
  return id;
}

/** A personal token, or a service account's (90 days); returns the plaintext. */
export async function insertBenchToken(db: BenchDb, userId: string, kind: 'personal' | 'service_account', now: string): Promise<string> {
  const plaintext = generateApiToken(kind);
  const expiresAt = kind === 'service_account' ? new Date(Date.now() + 90 * 86_400_000).toISOString() : null;
  await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      digest: sha256Hex(plaintext),
      prefix: apiTokenPrefix(plaintext),
      created_at: now,
      last_used_at: null,
      expires_at: expiresAt,
    })
    .execute();
  return plaintext;
}

/**
 * Sets up the benchmark's data offline (before the server starts) with a CLI-actor context, directly through the
 * domain and storage layers, so the harness depends on no endpoint but the ones it measures.
 */
export async function setUpBenchData(database: DatabaseConfig, people: number, log: (line: string) => void): Promise<BenchFixture> {
  const config: Config = { ...loadConfig({ ROSTER_LOG_LEVEL: 'warn' }), database };
  const services = await openServices(config);
  const ctx = { ...services, caller: { kind: 'cli' as const }, request: offlineRequest('cli') };
  try {
    const db = services.database.db;
    const now = new Date().toISOString();
    const loginPassword = `bench-${randomBytes(12).toString('base64url')}`;
    const passwordHash = await services.hasher.hash(loginPassword);
    const user = (username: string, role: 'owner' | 'member') => insertBenchPerson(db, username, role, passwordHash, now);
    const token = (userId: string, kind: 'personal' | 'service_account' = 'personal') => insertBenchToken(db, userId, kind, now);

    const ownerId = await user('bench-owner', 'owner');
    const memberId = await user('bench-member', 'member');
    const loginNames = Array.from({ length: 32 }, (_, i) => `bench-login-${i}`);
    for (const name of loginNames) await user(name, 'member');
    const groupId = randomUUID();
    await db
      .insertInto('groups')
      .values({ id: groupId, name: 'bench-team', name_canonical: 'bench-team', description: '', role: null, created_at: now })
      .execute();
    await db.insertInto('group_members').values({ group_id: groupId, user_id: memberId, created_at: now }).execute();
    const serviceAccountId = await insertBenchServiceAccount(db, 'bench-ci', now, ownerId);
    await db.insertInto('group_members').values({ group_id: groupId, user_id: serviceAccountId, created_at: now }).execute();
    const projectId = randomUUID();
    await db
      .insertInto('projects')
      .values({ id: projectId, name: 'bench-api', name_canonical: 'bench-api', description: '', owner_id: ownerId, created_at: now })
      .execute();
    await db
      .insertInto('project_access')
      .values({ project_id: projectId, subject_type: 'group', subject_id: groupId, role: 'contributor', created_at: now })
      .execute();

    const started = performance.now();
    if (people > 0) {
      let reported = 0;
      await seedPeople(ctx, {
        count: people,
        onProgress: (done) => {
          if (done - reported >= 250_000) {
            reported = done;
            log(`  seeded ${done} of ${people}`);
          }
        },
      });
    }
    return {
      ownerToken: await token(ownerId),
      memberToken: await token(memberId),
      serviceAccountToken: await token(serviceAccountId, 'service_account'),
      memberId,
      projectId,
      loginNames,
      loginPassword,
      people,
      seedSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await services.database.destroy();
  }
}
