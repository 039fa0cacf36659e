import type { Executor } from '../../storage/database.js';
import { findUser } from '../../storage/queries/users.js';
import type { UserRow } from '../../storage/schema.js';
import type { AccessSubject } from '../access/authorize.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { DomainError } from '../errors.js';

export interface LoadedPerson {
  row: UserRow;
  /** The person as access decisions see them (effective role via groups). */
  subject: AccessSubject;
}

/**
 * A person by id with their groups, or null. `id` is any string: an unknown or malformed id is simply not found.
 * Service accounts are left out unless `kinds` is `any` (group membership and project access take both kinds of
 * account; every other people route manages people only, docs/product/service-accounts.md).
 */
export async function loadPerson(db: Executor, id: string, kinds: 'person' | 'any' = 'person'): Promise<LoadedPerson | null> {
  const row = await findUser(db, id);
  if (!row || (kinds === 'person' && row.type !== 'person')) return null;
  const subject = await loadAccessSubject(db, id);
  return subject ? { row, subject } : null;
}

/** Like `loadPerson`, but 404 when unknown and 409 when the account has been removed (nothing left to manage). */
export async function loadManageablePerson(db: Executor, id: string, kinds: 'person' | 'any' = 'person'): Promise<LoadedPerson> {
  const person = await loadPerson(db, id, kinds);
  if (!person) throw new DomainError('not_found', 'No person has this id.');
  if (person.row.status !== 'active') throw new DomainError('conflict', 'This account has been removed.');
  return person;
}

/**
 * The actor read again inside the writing transaction: a demotion or removal that committed a moment ago counts
 * (R1–R3 are enforced inside the transaction, docs/product/roles-and-permissions.md#rules-nobody-can-break).
 */
export async function reloadActor(db: Executor, actor: AccessSubject): Promise<AccessSubject> {
  const fresh = await loadAccessSubject(db, actor.userId, actor.restricted);
  if (!fresh?.active) throw new DomainError('forbidden', 'Your account is no longer active.');
  return fresh;
}
