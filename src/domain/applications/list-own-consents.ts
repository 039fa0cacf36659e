import type { ListConsentsResponse } from '../../shared/api/applications.js';
import { consentsOfUser } from '../../storage/queries/applications.js';
import { callerSubject, type OperationContext } from '../context.js';
import { parseStringList } from './present-application.js';

/**
 * `GET /me/applications` (SPEC §12.4): the third-party applications the caller consented to, with the scopes, by
 * application name. A short list in one piece (one row per application the caller ever consented to).
 */
export async function listOwnConsents(ctx: OperationContext): Promise<ListConsentsResponse> {
  const actor = callerSubject(ctx);
  const rows = await consentsOfUser(ctx.database.db, actor.userId);
  return {
    items: rows.map((row) => ({
      application: { id: row.application_id, name: row.application_name, clientId: row.client_id },
      scopes: parseStringList(row.scopes),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    })),
  };
}
