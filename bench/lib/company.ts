import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { CompiledQuery, sql } from 'kysely';
import { statementRecorder } from '../../scripts/lib/statement-recorder.js';
import { type Config, type DatabaseConfig, loadConfig } from '../../src/config/config.js';
import { offlineRequest } from '../../src/domain/context.js';
import { seedAccessGraph } from '../../src/domain/seed/seed-access-graph.js';
import { openServices } from '../../src/runtime.js';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/storage/database.js';
import { insertBenchPerson, insertBenchServiceAccount, insertBenchToken } from './setup.js';

/** The company of the speed targets (docs/product/speed-targets.md#at-company-scale). */
export const companyShape = { projects: 20_000, groups: 2_000, memberships: 300_000, grants: 200_000, seed: 42 } as const;
/** How many groups the asking person (and the service account beside them) belongs to. */
export const askerGroups = 50;

export interface CompanyFixture {
  memberId: string;
  memberToken: string;
  serviceAccountToken: string;
  /** The project with the most grants, reached by the asker through the last of their 50 groups. */
  projectId: string;
  grantsOnProject: number;
  counts: Record<'projects' | 'groups' | 'memberships' | 'grants', number>;
  seedSeconds: number;
}

/** Runs `work` with the services of a bench database (quiet logs), closing them afterwards. */
async function withBenchServices<T>(
  database: DatabaseConfig,
  env: Record<string, string>,
  work: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>,
): Promise<T> {
  const config: Config = { ...loadConfig({ ROSTER_LOG_LEVEL: 'warn', ...env }), database };
  const services = await openServices(config);
  try {
    return await work(services);
  } finally {
    await services.database.destroy();
  }
}

/**
 * Adds the company-sized access graph to a bench database that already holds the people (`roster admin seed
 * --projects --groups --memberships --grants --seed`, the same code), then the asker: a Member (`bench-company`, the
 * bench's login password) and a Member service account in 50 groups spread over the directory, the most-granted
 * project reachable through the last of them. Runs beside an idle server: every
 * request reads fresh, so nothing needs a restart.
 */
export function setUpCompanyGraph(
  database: DatabaseConfig,
  loginPassword: string,
  env: Record<string, string> = {},
): Promise<CompanyFixture> {
  return withBenchServices(database, env, async (services) => {
    const ctx = { ...services, caller: { kind: 'cli' as const }, request: offlineRequest('cli') };
    const started = performance.now();
    const seededAt = new Date().toISOString();
    const seeded = await seedAccessGraph(ctx, companyShape);
    const seedSeconds = (performance.now() - started) / 1000;
    const db = services.database.db;
    await keepBenchAskersApart(db, seededAt);
    if (services.database.name === 'postgres') {
      // What an instance looks like between bulk loads: the rows removed above vacuumed away (otherwise every read
      // of the bench's groups visits thousands of dead tuples) and the seed's statistics brought up to date after
      // the removal, without waiting for autovacuum to do both while the rows are measured.
      await sql`VACUUM ANALYZE project_access, group_members, projects, groups`.execute(db);
    }
    const groups = (
      await db.selectFrom('groups').select('id').where('name', 'like', 'seed-group-%').orderBy('name_canonical').execute()
    ).map((row) => row.id);
    const step = Math.floor(groups.length / askerGroups);
    const mine = Array.from({ length: askerGroups }, (_, i) => groups[i * step] as string);
    const hot = await db
      .selectFrom('project_access')
      .select(['project_id', (eb) => eb.fn.countAll<number | string>().as('grants')])
      .groupBy('project_id')
      .orderBy('grants', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const asker = await addAsker(db, 'bench-company', await services.hasher.hash(loginPassword), mine, hot.project_id);
    return {
      ...asker,
      projectId: hot.project_id,
      grantsOnProject: Number(hot.grants) + 1,
      counts: {
        projects: seeded.projects.created,
        groups: seeded.groups.created,
        memberships: seeded.memberships.created,
        grants: seeded.grants.created,
      },
      seedSeconds,
    };
  });
}

/**
 * The seed draws owners, members and grantees from everyone, and favours the groups first in name order, where the
 * bench's own groups (`bench-…`) sort: left alone, it would put the tiny instance's asker and the small graph's Member
 * into hundreds of projects, and their rows after the graph would answer different questions. What the seed gave the
 * bench's people and groups is taken back (seeded grants and memberships removed, seeded projects they own handed to
 * the first seeded person), so they ask the same questions before and after.
 */
async function keepBenchAskersApart(db: Database['db'], seededAt: string): Promise<void> {
  const benchUsers = db.selectFrom('users').select('id').where('username', 'like', 'bench-%');
  const benchGroups = db.selectFrom('groups').select('id').where('name', 'like', 'bench-%');
  await db
    .deleteFrom('project_access')
    .where('created_at', '>=', seededAt)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'group'), eb('subject_id', 'in', benchGroups)]),
        eb.and([eb('subject_type', '=', 'user'), eb('subject_id', 'in', benchUsers)]),
      ]),
    )
    .execute();
  await db
    .deleteFrom('group_members')
    .where('created_at', '>=', seededAt)
    .where((eb) => eb.or([eb('group_id', 'in', benchGroups), eb('user_id', 'in', benchUsers)]))
    .execute();
  const someone = await db
    .selectFrom('users')
    .select('id')
    .where('username', 'not like', 'bench-%')
    .orderBy('username')
    .limit(1)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('projects')
    .set({ owner_id: someone.id })
    .where('created_at', '>=', seededAt)
    .where('owner_id', 'in', benchUsers)
    .execute();
}

/** The person and the service account who ask: both in `groups`, the project reachable through the last of them. */
export interface Asker {
  memberId: string;
  memberToken: string;
  serviceAccountToken: string;
}

/**
 * Adds a Member `name` (with `passwordHash`) and a Member service account `name`-ci, both in every one of `groups`,
 * and a Reader grant on `projectId` to the last group.
 */
async function addAsker(
  db: Database['db'],
  name: string,
  passwordHash: string,
  groups: readonly string[],
  projectId: string,
): Promise<Asker> {
  const now = new Date().toISOString();
  const memberId = await insertBenchPerson(db, name, 'member', passwordHash, now);
  const serviceAccountId = await insertBenchServiceAccount(db, `${name}-ci`, now);
  await db
    .insertInto('group_members')
    .values(groups.flatMap((group) => [memberId, serviceAccountId].map((user) => ({ group_id: group, user_id: user, created_at: now }))))
    .execute();
  await db
    .insertInto('project_access')
    .values({
      project_id: projectId,
      subject_type: 'group',
      subject_id: groups[groups.length - 1] as string,
      role: 'reader',
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return {
    memberId,
    memberToken: await insertBenchToken(db, memberId, 'personal', now),
    serviceAccountToken: await insertBenchToken(db, serviceAccountId, 'service_account', now),
  };
}

/**
 * The asker of a tiny instance (the bench's few people, one project): a Member and a service account in 50 groups of
 * their own, `projectId` reachable through the last. §8 holds the company graph's asker, also in 50 groups, to what
 * this one gets: the instance grows, the asker's groups do not.
 */
export function setUpTinyAsker(
  database: DatabaseConfig,
  loginPassword: string,
  projectId: string,
  env: Record<string, string> = {},
): Promise<Asker> {
  return withBenchServices(database, env, async (services) => {
    const db = services.database.db;
    const now = new Date().toISOString();
    const groups = Array.from({ length: askerGroups }, (_, i) => ({
      id: randomUUID(),
      name: `bench-tiny-${String(i).padStart(2, '0')}`,
      name_canonical: `bench-tiny-${String(i).padStart(2, '0')}`,
      description: '',
      role: null,
      created_at: now,
    }));
    await db.insertInto('groups').values(groups).execute();
    return await addAsker(
      db,
      'bench-tiny',
      await services.hasher.hash(loginPassword),
      groups.map((group) => group.id),
      projectId,
    );
  });
}

/** An application with `authorizeApi`, for `client_credentials` tokens with scope `roster:authorize` (docs/oidc.md). */
export function addAuthorizationClient(
  database: DatabaseConfig,
  env: Record<string, string> = {},
): Promise<{ clientId: string; secret: string }> {
  return withBenchServices(database, env, async (services) => {
    const db = services.database.db;
    const now = new Date().toISOString();
    const client = { clientId: `app_${randomBytes(12).toString('hex')}`, secret: `rcs_${randomBytes(20).toString('hex')}` };
    await db
      .insertInto('applications')
      .values({
        id: randomUUID(),
        client_id: client.clientId,
        name: 'bench authorization client',
        type: 'confidential',
        redirect_uris: JSON.stringify(['http://127.0.0.1:9/callback']),
        post_logout_redirect_uris: '[]',
        first_party: 1,
        authorize_api: 1,
        roster_api: 0,
        restricted_to_groups: 0,
        secret_digest: createHash('sha256').update(client.secret).digest('hex'),
        previous_secret_digest: null,
        previous_secret_expires_at: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return client;
  });
}

/** A `client_credentials` token with scope `roster:authorize` from the running server's token endpoint. */
export async function clientCredentialsToken(origin: string, client: { clientId: string; secret: string }): Promise<string> {
  const response = await fetch(`${origin}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'roster:authorize' }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`client_credentials: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export interface PlannedRequest {
  label: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface QueryPlan {
  request: string;
  sql: string;
  plan: string[];
}

/**
 * The query plans behind each request, as the database chose them on this graph: the requests run once through the
 * real app in this process (`app.inject`, the same routes and domain code as the server), every statement they send is
 * captured (Kysely queries through a plugin, prepared reads at the driver), and each is explained with its real
 * values — SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)`.
 */
export async function explainRequests(
  database: DatabaseConfig,
  env: Record<string, string>,
  requests: PlannedRequest[],
): Promise<QueryPlan[]> {
  const config: Config = { ...loadConfig({ ROSTER_LOG_LEVEL: 'warn', ...env }), database };
  const services = await openServices(config);
  const original = services.database;
  // Kysely's queries as they run, and the prepared reads, which go to the driver without Kysely.
  const recorder = statementRecorder(original.db.getExecutor());
  const captured = recorder.statements;
  const watched: Database = {
    ...original,
    db: original.db.withPlugin(recorder.plugin),
    readPrepared: <R>(name: string, sql: string, parameters: readonly unknown[]) => {
      captured.push({ sql, parameters });
      return original.readPrepared<R>(name, sql, parameters);
    },
  };
  const app = await buildApp({ ...services, database: watched }, { logStream: new Writable({ write: (_c, _e, done) => done() }) });
  const plans: QueryPlan[] = [];
  try {
    for (const request of requests) {
      captured.length = 0;
      const answer = await app.inject({
        method: request.method,
        url: request.url,
        headers: { ...request.headers, ...(request.body ? { 'content-type': 'application/json' } : {}) },
        ...(request.body ? { payload: request.body } : {}),
      });
      if (answer.statusCode !== 200) throw new Error(`${request.label}: ${answer.statusCode} ${answer.body.slice(0, 200)}`);
      const statements = captured.filter((statement) => /^\s*(select|with)\b/i.test(statement.sql));
      for (const statement of statements) {
        const explain = original.name === 'postgres' ? 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) ' : 'EXPLAIN QUERY PLAN ';
        const result = await original.db.executeQuery(CompiledQuery.raw(explain + statement.sql, [...statement.parameters]));
        const plan = (result.rows as Array<Record<string, unknown>>).map((row) =>
          original.name === 'postgres' ? String(row['QUERY PLAN']) : `${'  '.repeat(planDepth(row))}${String(row.detail)}`,
        );
        plans.push({ request: request.label, sql: statement.sql, plan });
      }
    }
  } finally {
    await app.close();
    await services.database.destroy();
  }
  return plans;
}

/** SQLite's EXPLAIN QUERY PLAN rows name their parent; depth is the number of ancestors. */
const sqliteParents = new Map<number, number>();
function planDepth(row: Record<string, unknown>): number {
  const id = Number(row.id);
  const parent = Number(row.parent);
  sqliteParents.set(id, parent);
  let depth = 0;
  for (let at = parent; at !== 0 && depth < 20; at = sqliteParents.get(at) ?? 0) depth++;
  return depth;
}
