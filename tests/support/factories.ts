import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { argon2Parameters } from '../../src/domain/auth/password-hasher.js';
import type { OperationContext, Services } from '../../src/domain/context.js';
import type { OrganizationRole } from '../../src/shared/permissions.js';
import type { UserRow } from '../../src/storage/schema.js';

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
    locked_until: null,
    seeded: 0,
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
