import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { OrganizationRole, ProjectRole } from '../shared/permissions.js';

/**
 * Table types shared by both dialects. Dialect-neutral column choices (see docs/decisions/0003-storage.md):
 * timestamps are ISO-8601 UTC text (fixed width, so text order is time order), booleans are 0/1 integers,
 * ids are UUID text.
 */
export interface Schema {
  users: UsersTable;
  credentials: CredentialsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  project_access: ProjectAccessTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  audit_events: AuditEventsTable;
  audit_chain: AuditChainTable;
  roster_migrations: MigrationsTable;
  secret_canary: SecretCanaryTable;
  mfa_totp: MfaTotpTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  mfa_pending_logins: MfaPendingLoginsTable;
  security_settings: SecuritySettingsTable;
  webauthn_credentials: WebAuthnCredentialsTable;
  webauthn_challenges: WebAuthnChallengesTable;
  applications: ApplicationsTable;
  application_groups: ApplicationGroupsTable;
  oidc_consents: OidcConsentsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_keys: OidcKeysTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_group_mappings: IdentityProviderGroupMappingsTable;
  user_identities: UserIdentitiesTable;
  sso_states: SsoStatesTable;
}

export type UserStatus = 'active' | 'removed';
/** A person, or a machine identity (docs/product/service-accounts.md; migration 0009). */
export type UserType = 'person' | 'service_account';
export type Flag = 0 | 1;

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  email_canonical: string;
  role: OrganizationRole;
  status: UserStatus;
  must_change_password: Flag;
  created_at: string;
  last_seen_at: string | null;
  removed_at: string | null;
  failed_login_count: Generated<number>;
  last_failed_login_at: string | null;
  locked_until: string | null;
  seeded: Generated<Flag>;
  type: Generated<UserType>;
  /** Service accounts only (people have ''). */
  description: Generated<string>;
  /** The person who created a service account (null for people); a plain id, never followed on removal. */
  created_by: string | null;
  /** Set while a service account is deactivated: its token stops, everything else stays (migration 0009). */
  deactivated_at: string | null;
  /** Has at least one second factor (migration 0010): kept in step by every factor change, in its transaction. */
  mfa_enabled: Generated<Flag>;
  /** The last administrator reset of the account's second factors; restarts its grace period. */
  mfa_reset_at: string | null;
}

export interface CredentialsTable {
  user_id: string;
  password_hash: string;
  is_temporary: Flag;
  expires_at: string | null;
  used_at: string | null;
  updated_at: string;
}

export interface SessionsTable {
  id_digest: string;
  user_id: string;
  restricted: Flag;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** 1: the identity provider's own second factor (its `amr`) counts for the 2FA policy (migration 0015). */
  mfa_by_provider: Generated<Flag>;
  /** When the person last logged in again at a linked provider in this session (migration 0016), or null. */
  reauthenticated_at: string | null;
}

export interface ApiTokensTable {
  user_id: string;
  digest: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  /** Null: never expires (every personal token; a service account's token when made so by an Owner). */
  expires_at: string | null;
  last_used_ip: string | null;
}

export interface ProjectsTable {
  id: string;
  name: string;
  name_canonical: string;
  description: string;
  owner_id: string;
  created_at: string;
}

export type SubjectType = 'user' | 'group';

export interface ProjectAccessTable {
  project_id: string;
  subject_type: SubjectType;
  subject_id: string;
  role: ProjectRole;
  created_at: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  name_canonical: string;
  description: string;
  role: Exclude<OrganizationRole, 'owner'> | null;
  created_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  created_at: string;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';
export type AuditVia = 'web' | 'api' | 'cli' | 'system';
export type AuditActorType = 'user' | 'service_account' | 'application' | 'system' | 'cli' | 'anonymous';

export interface AuditEventsTable {
  /**
   * Chain order: the head's `seq` + 1, assigned under the `audit_chain` lock and covered by the hash from the
   * sequence epoch on (migration 0005; docs/product/audit-log.md#hash-chain). Integer primary key; pg returns it as a
   * string (int8).
   */
  seq: ColumnType<string | number, number, never>;
  id: string;
  at: string;
  actor_type: AuditActorType;
  actor_id: string | null;
  actor_name: string | null;
  via: AuditVia;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/**
 * The chain's one head record (id = 1): where the chain ends, and where the sequence epoch began
 * (docs/product/audit-log.md#hash-chain).
 */
export interface AuditChainTable {
  id: number;
  /** The first `seq` whose hash covers it; events before it are the chain as written before migration 0005. */
  epoch_start_seq: ColumnType<string | number, number, never>;
  /** `seq` and `hash` of the newest event (0 and the genesis hash while the log is empty). */
  head_seq: ColumnType<string | number, number, number>;
  head_hash: string;
}

/** One row (`id` = 'canary'): a known value encrypted under the secret key, checked at every start (migration 0008). */
export interface SecretCanaryTable {
  id: string;
  value: string;
  created_at: string;
  updated_at: string;
}

/** One authenticator app per account (migration 0010); `secret` is a value of the secret store. */
export interface MfaTotpTable {
  user_id: string;
  secret: string;
  /** NULL until the first code confirms the setup. */
  confirmed_at: string | null;
  /** The newest accepted 30-second step: a code of this step or an older one is refused. */
  last_used_step: number | null;
  created_at: string;
}

/** Single-use recovery codes as HMACs under the secret key (`m1.<key id>.<mac>`). */
export interface MfaRecoveryCodesTable {
  id: string;
  user_id: string;
  code_mac: string;
  used_at: string | null;
  created_at: string;
}

/** A login waiting for its second factor; the cookie's SHA-256 is the key. Not a session. */
export interface MfaPendingLoginsTable {
  id_digest: string;
  user_id: string;
  /** SHA-256 of the password hash the login was opened with: a password changed meanwhile does not complete it. */
  credential_digest: string;
  attempts: Generated<number>;
  created_at: string;
  expires_at: string;
}

export type MfaPolicy = 'none' | 'admins' | 'everyone';

/** The one row (id 1) of Settings → Security. */
export interface SecuritySettingsTable {
  id: number;
  mfa_policy: MfaPolicy;
  mfa_grace_days: number;
  mfa_policy_changed_at: string;
  updated_at: string;
  /** 1: password and passkey logins are for Owners only; everyone else logs in with an identity provider. */
  require_sso: Generated<Flag>;
}

/** A registered security key or passkey (migration 0011, docs/decisions/0023-webauthn.md). */
export interface WebAuthnCredentialsTable {
  id: string;
  user_id: string;
  name: string;
  /** base64url, unique. */
  credential_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  /** bigint on PostgreSQL (read back as a string). */
  counter: ColumnType<string | number, number, number>;
  /** JSON array of transport hints. */
  transports: string;
  discoverable: Flag;
  backed_up: Flag;
  rp_id: string;
  created_at: string;
  last_used_at: string | null;
}

export type WebAuthnCeremony = 'registration' | 'second_factor' | 'passkey' | 'confirmation';

/** A WebAuthn challenge of a ceremony in progress; deleted by the request that uses it. */
export interface WebAuthnChallengesTable {
  challenge: string;
  purpose: WebAuthnCeremony;
  user_id: string | null;
  created_at: string;
  expires_at: string;
}

export type ApplicationType = 'confidential' | 'public';

/** A relying party of Roster's OpenID Connect provider (migration 0013, docs/oidc.md). */
export interface ApplicationsTable {
  id: string;
  client_id: string;
  name: string;
  type: ApplicationType;
  /** JSON arrays of exact URIs. */
  redirect_uris: string;
  post_logout_redirect_uris: Generated<string>;
  first_party: Generated<Flag>;
  authorize_api: Generated<Flag>;
  roster_api: Generated<Flag>;
  restricted_to_groups: Generated<Flag>;
  /** SHA-256 (hex) of the client secret; null for public applications. */
  secret_digest: string | null;
  previous_secret_digest: string | null;
  previous_secret_expires_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicationGroupsTable {
  application_id: string;
  group_id: string;
}

export interface OidcConsentsTable {
  user_id: string;
  application_id: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  updated_at: string;
}

/** One object of the OIDC provider library, keyed by the digest of its id (migration 0013). */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  account_id: string | null;
  client_id: string | null;
  uid: string | null;
  roster_session: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export type OidcKeyUse = 'signing' | 'cookie';

export interface OidcKeysTable {
  id: string;
  use: OidcKeyUse;
  alg: string | null;
  /** A value of the secret store. */
  secret: string;
  created_at: string;
  retired_at: string | null;
}

/** An upstream OpenID Connect provider people log in with (migration 0014, SPEC §12.2, docs/sso.md). */
export interface IdentityProvidersTable {
  id: string;
  label: string;
  issuer: string;
  client_id: string;
  /** A value of the secret store (never returned by the API). */
  client_secret: string;
  /** Space-separated scopes. */
  scopes: string;
  username_claim: string;
  email_claim: string;
  groups_claim: string;
  create_unknown: Flag;
  link_verified_email: Flag;
  enforces_2fa: Flag;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

/** A provider's group value → a Roster group. */
export interface IdentityProviderGroupMappingsTable {
  identity_provider_id: string;
  value: string;
  group_id: string;
}

/** A person's link to a provider's subject, unique per (provider, subject). */
export interface UserIdentitiesTable {
  id: string;
  user_id: string;
  identity_provider_id: string;
  subject: string;
  email: string | null;
  created_at: string;
  last_login_at: string | null;
}

/** An authorization request sent to an identity provider, until its callback (migration 0015). */
export interface SsoStatesTable {
  id_digest: string;
  identity_provider_id: string;
  /** `reauth` (migration 0016): a fresh login of the session's person, standing in for their current password. */
  purpose: 'login' | 'link' | 'reauth';
  nonce: string;
  code_verifier: string;
  user_id: string | null;
  session_digest: string | null;
  return_to: string | null;
  created_at: string;
  expires_at: string;
}

export interface MigrationsTable {
  name: string;
  applied_at: string;
}

export type UserRow = Selectable<UsersTable>;
export type WebAuthnCredentialRow = Selectable<WebAuthnCredentialsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
