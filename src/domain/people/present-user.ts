import type { UserRow } from '../../storage/schema.js';

/** The public shape of an account. Hashes, digests and lock counters never leave the server. */
export interface UserView {
  id: string;
  username: string;
  email: string;
  role: UserRow['role'];
  status: UserRow['status'];
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

export function presentUser(
  row: Pick<
    UserRow,
    'id' | 'username' | 'email' | 'role' | 'status' | 'must_change_password' | 'mfa_enabled' | 'created_at' | 'last_seen_at'
  >,
): UserView {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    status: row.status,
    mustChangePassword: row.must_change_password === 1,
    mfaEnabled: Number(row.mfa_enabled) === 1,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}
