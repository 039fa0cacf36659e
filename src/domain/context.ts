import type { Config } from '../config/config.js';
import type { Database } from '../storage/database.js';
import type { AuditVia } from '../storage/schema.js';
import type { AccessSubject } from './access/authorize.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { DomainError } from './errors.js';
import type { SecurityCounterHub } from './operations/security-counters.js';
import type { SecretStore } from './secrets/open-secret-store.js';
import type { ProviderDiscovery } from './sso/provider-configuration.js';

/**
 * Who is acting: one value that is both the audit log's actor and the subject every policy asks about
 * (docs/decisions/0013-queries-and-context.md). A `user` (a person) or a `service_account` (a machine identity acting
 * with its `rss_` token, docs/product/service-accounts.md) carries its role and groups as read for this request; both
 * are subjects of the same policies. `cli` and `system` act outside any account (offline admin commands, first start);
 * `anonymous` has no credential (logging in). An `application` is a relying party of the OpenID Connect provider acting
 * with its own client credentials (docs/oidc.md).
 */
export type Caller =
  | {
      kind: 'user';
      subject: AccessSubject;
      /**
       * Set when the person acts through an application's OpenID Connect access token (scope `roster:api`): such a
       * caller may ask only about themselves (docs/api-tokens.md#openid-connect-access-tokens).
       */
      through?: ApplicationRef;
    }
  | { kind: 'service_account'; subject: AccessSubject }
  | ({ kind: 'application' } & ApplicationRef)
  | { kind: 'cli' }
  | { kind: 'system' }
  | { kind: 'anonymous' };

/** An application registered with the OpenID Connect provider, as a caller names it. */
export interface ApplicationRef {
  applicationId: string;
  clientId: string;
  name: string;
}

/** The caller kind of an account acting with its own credential. */
export function accountCaller(subject: AccessSubject): Caller {
  return subject.type === 'service_account' ? { kind: 'service_account', subject } : { kind: 'user', subject };
}

/** Where a request came from, for the audit log. */
export interface RequestInfo {
  via: AuditVia;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** The digest of the calling browser session, when the request came with one (a fresh provider login is per session). */
  sessionDigest?: string | null;
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
  /** Failed logins, lockouts, failed second factors and 429s, for /metrics (no Prometheus here). */
  securityCounters: SecurityCounterHub;
  /** Each identity provider's latest discovery, per node: starts share it for a second, callbacks reuse it (SSO). */
  providerDiscovery: ProviderDiscovery;
}

/**
 * The operation context (STYLE habit 6): caller and request travel explicitly, never through globals. Every domain
 * operation takes it first: `operation(ctx, …inputs)`.
 */
export interface OperationContext extends Services {
  caller: Caller;
  request: RequestInfo;
}

export const offlineRequest = (via: AuditVia): RequestInfo => ({ via, ip: null, userAgent: null, requestId: null });

/** A context for the server's own work or an offline admin command (no account acts). */
export function offlineContext(services: Services, kind: 'cli' | 'system'): OperationContext {
  return { ...services, caller: { kind }, request: offlineRequest(kind) };
}

/** The calling account (a person or a service account) as policies see it; 401 for any other caller. */
export function callerSubject(ctx: OperationContext): AccessSubject {
  if (ctx.caller.kind !== 'user' && ctx.caller.kind !== 'service_account') throw new DomainError('unauthenticated');
  return ctx.caller.subject;
}

/**
 * The calling person, for what only a person does to their own account (password, email, username, personal token,
 * sessions): a service account has none of these and cannot change its own token (403).
 */
export function callerPerson(ctx: OperationContext): AccessSubject {
  if (ctx.caller.kind === 'service_account') {
    throw new DomainError('forbidden', 'A service account cannot change its own account or token; a service account manager can.');
  }
  return callerSubject(ctx);
}

/** The same context acting as `subject` (a login, once the password is checked). */
export function actingAs(ctx: OperationContext, subject: AccessSubject): OperationContext {
  return { ...ctx, caller: { kind: 'user', subject } };
}

/** The audit log's actor columns for a caller. */
export function auditActorOf(caller: Caller): { type: Caller['kind']; id: string | null; name: string } {
  if (caller.kind === 'user' || caller.kind === 'service_account') {
    return { type: caller.kind, id: caller.subject.userId, name: caller.subject.username };
  }
  if (caller.kind === 'application') return { type: caller.kind, id: caller.applicationId, name: caller.name };
  return { type: caller.kind, id: null, name: caller.kind };
}
