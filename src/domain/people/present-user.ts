import type { UserRow } from '../../storage/schema.js';

/** The public shape of an account. Hashes, digests and lock counters never leave the server. */
export interface UserView {
  id: string;
  username: string;
  email: string;
  role: UserRow['role'];
  type: UserRow['type'];
  /** `deactivated` is a state of an active service account (migration 0009), shown as its own status. */
  status: UserRow['status'] | 'deactivated';
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

export function presentUser(
  row: Pick<
    UserRow,
    'id' | 'username' | 'email' | 'role' | 'status' | 'must_change_password' | 'mfa_enabled' | 'created_at' | 'last_seen_at'
  > &
    Partial<Pick<UserRow, 'type' | 'deactivated_at'>>,
): UserView {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    type: row.type ?? 'person',
    status: row.status === 'active' && row.deactivated_at ? 'deactivated' : row.status,
    mustChangePassword: row.must_change_password === 1,
    mfaEnabled: Number(row.mfa_enabled) === 1,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}
