import { Readable } from 'node:stream';
import type { PeopleFilter } from '../../shared/api/people.js';
import { csvChunks } from '../../shared/csv.js';
import { groupsOfUsers } from '../../storage/queries/group-members.js';
import { canViewPeople } from '../access/policies/people-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { nextBackgroundSlice, startSlice } from '../next-slice.js';
import { readPeoplePage } from './list-people.js';
import type { PeopleCursor } from './people-cursor.js';

/**
 * Rows read, formatted and sent per slice: reading, the groups lookup and CSV formatting of a batch take a few
 * milliseconds on the request thread (SQLite reads are synchronous), after which the export gives the event loop a turn
 * (docs/product/security-settings.md#bounded-work); memory stays flat whatever the size
 * (docs/product/speed-targets.md#targets).
 */
export const exportBatchSize = 250;

export const exportColumns = ['username', 'email', 'role', 'groups', 'status', 'created', 'last seen'] as const;

/**
 * `GET /people/export` (docs/product/console.md#people): every person matching the filter as CSV, read in keyset
 * batches and streamed, so a million people never sit in memory at once. The permission is checked before the first
 * byte. Each batch is one slice of background work followed by `nextBackgroundSlice()`: without it, reads that complete
 * synchronously (SQLite) and a socket that keeps accepting data would stream the whole export in one turn of the event
 * loop, and nothing else would be answered until it ended; and exports that always run would keep the request thread
 * busy for good (docs/product/security-settings.md#bounded-work).
 */
export function exportPeople(ctx: OperationContext, filter: PeopleFilter): Readable {
  const database = ctx.database;
  const actor = callerSubject(ctx);
  if (!canViewPeople(actor)) throw new DomainError('forbidden', 'You need the organization.people.view permission to export people.');
  async function* records() {
    let cursor: PeopleCursor | null = null;
    let busy = startSlice();
    do {
      const reading = performance.now();
      const page = await readPeoplePage(ctx, filter, cursor, exportBatchSize);
      // A page read in username order brings its groups (readPeoplePage's extras); other pages read them here.
      const groups =
        page.extras?.groups ??
        (await groupsOfUsers(
          database.db,
          page.rows.map((row) => row.id),
        ));
      // PostgreSQL answers in its own processes, on the same cores: its time counts like the thread's own.
      const readMs = performance.now() - reading;
      for (const row of page.rows) {
        yield [
          row.username,
          row.email,
          row.role,
          (groups.get(row.id) ?? []).map((group) => group.name).join('; '),
          row.status,
          row.created_at,
          row.last_seen_at ?? '',
        ];
      }
      cursor = page.next;
      if (cursor) {
        await nextBackgroundSlice(Math.max(busy(), readMs));
        busy = startSlice();
      }
    } while (cursor);
  }
  // The one CSV writer neutralises cells a spreadsheet would run as formulas (emails and group names may start so).
  return Readable.from(csvChunks(exportColumns, records()));
}
