import { createHash, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Insertable } from 'kysely';
import { argon2Parameters } from '../../src/domain/auth/password-hasher.js';
import type { OperationContext, Services } from '../../src/domain/context.js';
import { apiTokenPrefix, generateApiToken } from '../../src/domain/tokens/api-token-format.js';
import type { OrganizationRole, ProjectRole } from '../../src/shared/permissions.js';
import type { Executor } from '../../src/storage/database.js';
import type { Schema, UserRow } from '../../src/storage/schema.js';

export interface TestUser {
  user: UserRow;
  password: string;
}

/** One good password for every factory account; hashed once per process to keep suites fast. */
export const factoryPassword = 'factory horse battery staple';
let factoryHash: Promise<string> | undefined;
function passwordHash(): Promise<string> {
  factoryHash ??= hash(factoryPassword, argon2Parameters);
  return factoryHash;
}

let counter = 0;

interface FactoryHost {
  services: Services;
  cliContext(): OperationContext;
}

/** Inserts an active account with a permanent password (no password change pending). */
export async function buildUser(
  host: FactoryHost,
  options: { role?: OrganizationRole; username?: string; email?: string; mustChangePassword?: boolean } = {},
): Promise<TestUser> {
  counter++;
  const username = options.username ?? `user-${counter}-${randomUUID().slice(0, 6)}`;
  const email = options.email ?? `${username}@example.com`;
  const now = host.services.now().toISOString();
  const row: UserRow = {
    id: randomUUID(),
    username,
    email,
    email_canonical: email.toLowerCase(),
    role: options.role ?? 'member',
    status: 'active',
    must_change_password: options.mustChangePassword ? 1 : 0,
    created_at: now,
    last_seen_at: null,
    removed_at: null,
    failed_login_count: 0,
    last_failed_login_at: null,
    type: 'person',
    description: '',
    created_by: null,
    deactivated_at: null,
    locked_until: null,
    seeded: 0,
    mfa_enabled: 0,
    mfa_reset_at: null,
  };
  const db = host.services.database.db;
  await db.insertInto('users').values(row).execute();
  await db
    .insertInto('credentials')
    .values({ user_id: row.id, password_hash: await passwordHash(), is_temporary: 0, expires_at: null, used_at: null, updated_at: now })
    .execute();
  return { user: row, password: factoryPassword };
}

export const buildOwner = (host: FactoryHost, options: { username?: string } = {}) => buildUser(host, { ...options, role: 'owner' });
export const buildAdmin = (host: FactoryHost, options: { username?: string } = {}) => buildUser(host, { ...options, role: 'admin' });
export const buildMember = (host: FactoryHost, options: { username?: string } = {}) => buildUser(host, { ...options, role: 'member' });

/** Inserts a project owned by `owner` (name unique per call unless given). */
export async function buildProject(host: FactoryHost, owner: { id: string }, options: { name?: string; description?: string } = {}) {
  counter++;
  const name = options.name ?? `project-${counter}-${randomUUID().slice(0, 6)}`;
  const row = {
    id: randomUUID(),
    name,
    name_canonical: name.toLowerCase(),
    description: options.description ?? '',
    owner_id: owner.id,
    created_at: host.services.now().toISOString(),
  };
  await host.services.database.db.insertInto('projects').values(row).execute();
  return row;
}

/** Gives `user` a project role on `project`. */
export async function grantProjectRole(host: FactoryHost, project: { id: string }, user: { id: string }, role: ProjectRole) {
  await host.services.database.db
    .insertInto('project_access')
    .values({ project_id: project.id, subject_type: 'user', subject_id: user.id, role, created_at: host.services.now().toISOString() })
    .execute();
}

/** Gives `user` a new personal API token directly (digest = SHA-256 hex), replacing any old one; returns the plaintext. */
export async function buildApiToken(host: FactoryHost, user: { id: string }): Promise<string> {
  const token = generateApiToken();
  await host.services.database.db.deleteFrom('api_tokens').where('user_id', '=', user.id).execute();
  await host.services.database.db
    .insertInto('api_tokens')
    .values({
      user_id: user.id,
      digest: createHash('sha256').update(token).digest('hex'),
      prefix: apiTokenPrefix(token),
      created_at: host.services.now().toISOString(),
      last_used_at: null,
    })
    .execute();
  return token;
}

/**
 * Inserts many rows of test data into `table`, `chunk` rows per statement (one statement for thousands of rows would
 * pass PostgreSQL's limit of 65,535 parameters).
 */
export async function insertInChunks<T extends keyof Schema & string>(
  db: Executor,
  table: T,
  rows: ReadonlyArray<Insertable<Schema[T]>>,
  chunk = 500,
): Promise<void> {
  for (let at = 0; at < rows.length; at += chunk)
    await db
      .insertInto(table)
      .values(rows.slice(at, at + chunk) as never)
      .execute();
}
