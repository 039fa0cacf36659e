import type { Config } from '../config/config.js';
import type { Database } from '../storage/database.js';
import type { AuditVia } from '../storage/schema.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import type { SecretStore } from './secrets/open-secret-store.js';

/** Who is acting. `cli` and `system` act outside any account (offline admin commands, first start). */
export type Actor = { kind: 'user'; id: string; username: string } | { kind: 'cli' } | { kind: 'system' } | { kind: 'anonymous' };

/** Where a request came from, for the audit log. */
export interface RequestInfo {
  via: AuditVia;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Services every domain operation may use; built once at start. */
export interface Services {
  database: Database;
  config: Config;
  hasher: PasswordHasher;
  /** Injectable clock so expiry and lockout can be tested without waiting. */
  now: () => Date;
  /** The secret store's key and its state; features take the keyring through requireSecretKey. */
  secrets: SecretStore;
}

/** The operation context (STYLE habit 6): actor and request travel explicitly, never through globals. */
export interface OperationContext extends Services {
  actor: Actor;
  request: RequestInfo;
}

export const offlineRequest = (via: AuditVia): RequestInfo => ({ via, ip: null, userAgent: null, requestId: null });
