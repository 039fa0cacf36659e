import type { Executor } from '../../storage/database.js';
import { findServiceAccount, type ServiceAccountRow } from '../../storage/queries/service-accounts.js';
import type { AccessSubject } from '../access/authorize.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { DomainError } from '../errors.js';

export interface LoadedServiceAccount {
  row: ServiceAccountRow;
  /** The service account as access decisions see it (effective role via groups). */
  subject: AccessSubject;
}

/** A service account by id with its groups; 404 for an unknown id or a person's id. */
export async function loadServiceAccount(db: Executor, id: string): Promise<LoadedServiceAccount> {
  const row = await findServiceAccount(db, id);
  const subject = row ? await loadAccessSubject(db, id) : null;
  if (!row || !subject) throw new DomainError('not_found', 'No service account has this id.');
  return { row, subject };
}

/** Like `loadServiceAccount`, and 409 once it has been deleted (nothing left to manage). */
export async function loadManageableServiceAccount(db: Executor, id: string): Promise<LoadedServiceAccount> {
  const account = await loadServiceAccount(db, id);
  if (account.row.status !== 'active') throw new DomainError('conflict', 'This service account has been deleted.');
  return account;
}
