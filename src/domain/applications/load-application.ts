import type { Executor } from '../../storage/database.js';
import { type ApplicationRow, allowedGroupIdsOf, findApplicationRow, lockApplication } from '../../storage/queries/applications.js';
import { DomainError } from '../errors.js';

/**
 * The application a write is about, locked for the rest of the transaction (two writers of one application take
 * turns; the second sees what the first committed, or 404 once it was removed), with its allowed group ids.
 */
export async function loadApplicationForWrite(trx: Executor, id: string): Promise<{ row: ApplicationRow; groupIds: string[] }> {
  const row = (await lockApplication(trx, id)) ? await findApplicationRow(trx, id) : undefined;
  if (!row) throw new DomainError('not_found', 'No application has this id.');
  return { row, groupIds: await allowedGroupIdsOf(trx, id) };
}
