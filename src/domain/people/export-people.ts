import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { PeopleFilter } from '../../shared/api/people.js';
import type { Executor } from '../../storage/database.js';
import { groupsOfUsers } from '../../storage/queries/users.js';
import type { AccessSubject } from '../access/authorize.js';
import { canViewPeople } from '../access/policies/people-policy.js';
import { DomainError } from '../errors.js';
import { readPeoplePage } from './list-people.js';
import type { PeopleCursor } from './people-cursor.js';

/** Rows read per query: enough to amortise the round trip, small enough that memory stays flat (SPEC §8). */
export const exportBatchSize = 1000;

export const exportColumns = ['username', 'email', 'role', 'groups', 'status', 'created', 'last seen'] as const;

/**
 * Spreadsheet programs run cells that start with these as formulas; such cells get a leading apostrophe (OWASP's
 * advice for CSV injection). Usernames never start with them; emails and group names may.
 */
const formulaStart = /^[=+\-@\t\r]/;
const neutralise = (value: string) => (formulaStart.test(value) ? `'${value}` : value);

/**
 * `GET /people/export` (SPEC §4.2): every person matching the filter as CSV, read in keyset batches and streamed, so
 * a million people never sit in memory at once. The permission is checked before the first byte.
 */
export function exportPeople(db: Executor, actor: AccessSubject, filter: PeopleFilter): Readable {
  if (!canViewPeople(actor)) throw new DomainError('forbidden', 'You need the organization.people.view permission to export people.');
  async function* records() {
    let cursor: PeopleCursor | null = null;
    do {
      const page = await readPeoplePage(db, filter, cursor, exportBatchSize);
      const groups = await groupsOfUsers(
        db,
        page.rows.map((row) => row.id),
      );
      for (const row of page.rows) {
        yield [
          row.username,
          neutralise(row.email),
          row.role,
          neutralise((groups.get(row.id) ?? []).map((group) => group.name).join('; ')),
          row.status,
          row.created_at,
          row.last_seen_at ?? '',
        ];
      }
      cursor = page.next;
    } while (cursor);
  }
  const csv = stringify({ header: true, columns: [...exportColumns] });
  // pipeline (not pipe) so that a failed read destroys the response stream instead of leaving it hanging.
  pipeline(Readable.from(records()), csv, () => undefined);
  return csv;
}
