// Payload types of the REST API (SPEC §6) that the console relies on.
// Temporary home: these move to the server's `src/shared` schemas once they exist, so that both sides share one source.

/** Instance role ids (SPEC §3.1). Display labels and colours live in components/role-badge.tsx. */
import type { OrganizationRole } from './catalogue';

export type InstanceRoleId = OrganizationRole;

export type UserStatus = 'active' | 'removed';

/** A user as the API returns it (never with hashes or lock counters). */
export interface User {
  id: string;
  username: string;
  email: string;
  role: InstanceRoleId;
  status: UserStatus;
  mustChangePassword: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

/**
 * What the caller may do in the console, decided by the server (SPEC §3.3).
 * The console shows or hides entries from these flags and never compares role strings itself.
 */
export interface Abilities {
  viewPeople: boolean;
  managePeople: boolean;
  viewProjects: boolean;
  createProjects: boolean;
  viewGroups: boolean;
  manageGroups: boolean;
  viewAuditLog: boolean;
  viewRoles: boolean;
}

export type AbilityName = keyof Abilities;

export interface TokenMetadata {
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** `GET /api/v1/me`. */
export interface Me {
  user: User;
  effectiveRole: InstanceRoleId;
  permissions: string[];
  abilities: Abilities;
  token: TokenMetadata | null;
  csrfToken: string | null;
}

/** `POST /api/v1/auth/login` body. `login` is an email or a username. */
export interface LoginRequest {
  login: string;
  password: string;
}

/** `POST /api/v1/auth/login` and `POST /api/v1/auth/password` response. */
export interface AuthResult {
  user: User;
  mustChangePassword: boolean;
  csrfToken: string;
}

/** `POST /api/v1/auth/password` body: voluntary and forced change (SPEC §4.3). */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** One entry of `errors` in a `validation_failed` problem. Kept loose: the server decides the exact shape. */
export interface ProblemFieldError {
  path?: string;
  field?: string;
  message: string;
  [key: string]: unknown;
}

/** An `application/problem+json` body (RFC 9457) with Roster's stable `code` (SPEC §6). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ProblemFieldError[];
  [key: string]: unknown;
}

/** Stable error codes the console reacts to (SPEC §6). Others are shown with the server's message. */
export type KnownErrorCode =
  | 'invalid_credentials'
  | 'rate_limited'
  | 'validation_failed'
  | 'password_policy'
  | 'invalid_current_password'
  | 'password_change_required'
  | 'csrf_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found';
