import { createHash } from 'node:crypto';
import type { TestApp } from '../support/test-app.js';

/** Tables whose content a refused request must leave untouched (audit events are checked on their own). */
const guardedTables = ['users', 'credentials', 'api_tokens', 'projects', 'project_access', 'groups', 'group_members'] as const;

/**
 * A fingerprint of every guarded table: row count and a digest of all rows in primary-key order. `sessions` is
 * fingerprinted without `last_seen_at`, which a plain authenticated read may refresh.
 */
export async function snapshotTables(t: TestApp): Promise<Record<string, string>> {
  const db = t.services.database.db;
  const out: Record<string, string> = {};
  for (const table of guardedTables) {
    const rows = await db.selectFrom(table).selectAll().execute();
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    out[table] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  const sessions = await db.selectFrom('sessions').select(['id_digest', 'user_id', 'restricted', 'expires_at']).execute();
  out.sessions = `${sessions.length}:${createHash('sha256')
    .update(
      sessions
        .map((s) => JSON.stringify(s))
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16)}`;
  return out;
}

/** The newest audit events after `afterSeq`, oldest first. */
export async function auditEventsSince(t: TestApp, afterSeq: number) {
  return t.services.database.db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').execute();
}

export async function lastAuditSeq(t: TestApp): Promise<number> {
  const row = await t.services.database.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return Number(row?.seq ?? 0);
}
