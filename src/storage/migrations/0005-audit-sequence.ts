import { type Kysely, sql } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Gap-free sequence numbers for the audit chain (docs/product/audit-log.md#hash-chain), so that deleting, reordering or
 * cutting events shows.
 *
 * - `audit_events.seq` stops being an identity/autoincrement column: from now on the writer assigns it as the head's
 *   `seq` + 1 under the `audit_chain` lock, and the event's hash covers it. PostgreSQL drops the identity (an old
 *   server still running would now fail to write events instead of forking the chain); SQLite's INTEGER PRIMARY KEY
 *   simply takes the value given.
 * - `audit_chain` holds the chain's one head record: the newest event's `seq` and `hash`, advanced in the same
 *   transaction as each append. Because new events continue from it, and not from whatever event is last in the
 *   table, a cut tail stays a visible gap even after new events are written.
 * - The events already written are the first epoch: they keep verifying exactly as before (their numbers may have
 *   holes, their hashes do not cover them). `epoch_start_seq` is where the second epoch begins: the event numbered
 *   `epoch_start_seq` is the first whose hash covers its number, and every later one follows without a gap.
 * - Triggers let the head record only move forward, one event at a time, and never be deleted; `roster doctor`
 *   reports them (and the append-only triggers of 0001) when missing or disabled.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  // First, so that on PostgreSQL the table is locked (ACCESS EXCLUSIVE) before its head is read below.
  if (dialect === 'postgres') await sql`ALTER TABLE audit_events ALTER COLUMN seq DROP IDENTITY`.execute(db);

  const integer = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('epoch_start_seq', integer, (c) => c.notNull())
    .addColumn('head_seq', integer, (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO audit_chain (id, epoch_start_seq, head_seq, head_hash)
    SELECT 1, COALESCE(MAX(seq), 0) + 1, COALESCE(MAX(seq), 0),
      COALESCE((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), ${'0'.repeat(64)})
    FROM audit_events`.execute(db);

  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE ON audit_chain
      WHEN NEW.id IS NOT OLD.id OR NEW.epoch_start_seq IS NOT OLD.epoch_start_seq OR NEW.head_seq IS NOT OLD.head_seq + 1
      BEGIN SELECT RAISE(ABORT, 'audit_chain only moves forward, one event at a time'); END`.execute(db);
    await sql`CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
      BEGIN SELECT RAISE(ABORT, 'audit_chain only moves forward, one event at a time'); END`.execute(db);
    return;
  }
  await sql`CREATE FUNCTION audit_chain_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' OR NEW.id IS DISTINCT FROM OLD.id OR NEW.epoch_start_seq IS DISTINCT FROM OLD.epoch_start_seq
         OR NEW.head_seq IS DISTINCT FROM OLD.head_seq + 1 THEN
        RAISE EXCEPTION 'audit_chain only moves forward, one event at a time' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_forward_only()`.execute(db);
  await sql`CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_forward_only()`.execute(db);
}
