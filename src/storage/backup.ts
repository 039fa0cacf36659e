import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { DatabaseConfig } from '../config/config.js';
import { BackupError } from './backup-error.js';
import type { Database } from './database.js';

/**
 * Backup, restore and integrity checks (`roster backup`, `roster restore`, `roster doctor`;
 * docs/product/running.md#command-line). The only dialect-specific code outside `dialects/`: one function per dialect,
 * chosen by the configuration.
 */

export interface BackupResult {
  file: string;
  bytes: number;
  format: 'sqlite' | 'pg_dump-custom';
}

/** Writes a consistent snapshot of the configured database to `file`, which must not exist yet. */
export async function backupDatabase(database: Database, config: DatabaseConfig, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new BackupError('backup_failed', `${target} already exists; choose a new file name.`);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError('backup_failed', `The directory ${path.dirname(target)} does not exist.`);
  if (config.kind === 'sqlite') {
    if (!database.raw.sqlite) throw new BackupError('backup_failed', 'The SQLite connection is not available.');
    backupSqlite(database.raw.sqlite, target);
    return { file: target, bytes: fs.statSync(target).size, format: 'sqlite' };
  }
  await backupPostgres(config.url, target);
  return { file: target, bytes: fs.statSync(target).size, format: 'pg_dump-custom' };
}

/**
 * SQLite: `VACUUM INTO` reads one consistent snapshot (a read transaction, so a running server keeps writing in WAL
 * mode) and writes a compact, self-contained file. It goes to a temporary name first and is renamed when complete, so
 * a half-written backup never carries the final name.
 */
function backupSqlite(raw: SqliteDatabase.Database, target: string): void {
  const partial = `${target}.partial-${process.pid}`;
  try {
    raw.prepare('VACUUM INTO ?').run(partial);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new BackupError('backup_failed', `SQLite backup failed: ${messageOf(error)}`);
  }
}

/** PostgreSQL: `pg_dump --format=custom` (restorable with pg_restore, compressed), written to a temporary name first. */
async function backupPostgres(url: string, target: string): Promise<void> {
  const partial = `${target}.partial-${process.pid}`;
  const connection = splitPassword(url);
  try {
    await runTool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${connection.url}`],
      connection.env,
    );
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError('backup_failed', `pg_dump failed: ${messageOf(error)}`);
  }
}

/**
 * Replaces the whole content of the configured database with the backup in `file`. The caller then applies pending
 * migrations (the backup may be older than the code) and ends every session.
 */
export async function restoreDatabase(
  config: DatabaseConfig,
  file: string,
): Promise<{ file: string; format: BackupResult['format'] | 'sql' }> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError('invalid_backup', `${source} does not exist.`);
  if (config.kind === 'sqlite') {
    await restoreSqlite(config.file, source);
    return { file: source, format: 'sqlite' };
  }
  return { file: source, format: await restorePostgres(config.url, source) };
}

/**
 * SQLite: checks that the file is an intact Roster database, then copies it page by page INTO the live database with
 * SQLite's online backup API. The copy holds the write lock on the live file until it is complete, so a server that is
 * still running (it should not be) sees either the old or the restored database, never a mix, and never keeps serving
 * a replaced file through a stale descriptor as it would after a file rename.
 */
async function restoreSqlite(liveFile: string, source: string): Promise<void> {
  let backup: SqliteDatabase.Database;
  try {
    backup = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError('invalid_backup', `${source} is not a readable SQLite database: ${messageOf(error)}`);
  }
  try {
    let integrity: unknown[];
    let isRoster: boolean;
    try {
      integrity = backup.pragma('integrity_check', { simple: false }) as unknown[];
      isRoster = backup.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'roster_migrations'").get() !== undefined;
    } catch (error) {
      throw new BackupError('invalid_backup', `${source} is not a SQLite database: ${messageOf(error)}`);
    }
    const problems = integrity.map((row) => String(Object.values(row as object)[0])).filter((line) => line !== 'ok');
    if (problems.length > 0) throw new BackupError('invalid_backup', `${source} is damaged: ${problems.slice(0, 5).join('; ')}`);
    if (!isRoster) throw new BackupError('invalid_backup', `${source} is a SQLite database but not a Roster backup.`);
    fs.mkdirSync(path.dirname(liveFile), { recursive: true });
    // One step for every page: the live database is locked once, for the whole copy.
    await backup.backup(liveFile, { progress: () => 0x7fffffff });
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError('restore_failed', `SQLite restore failed: ${messageOf(error)}`);
  } finally {
    backup.close();
  }
}

/**
 * PostgreSQL: a custom-format dump (what `roster backup` writes) goes through `pg_restore --clean --if-exists` in a
 * single transaction, so a failure leaves the database as it was; a plain SQL dump goes through `psql` in a single
 * transaction and must be restored into an empty database.
 */
async function restorePostgres(url: string, source: string): Promise<'pg_dump-custom' | 'sql'> {
  const connection = splitPassword(url);
  const header = Buffer.alloc(5);
  const fd = fs.openSync(source, 'r');
  try {
    fs.readSync(fd, header, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1') === 'PGDMP') {
    await runTool(
      'pg_restore',
      [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '--exit-on-error',
        `--dbname=${connection.url}`,
        source,
      ],
      connection.env,
    );
    return 'pg_dump-custom';
  }
  await runTool(
    'psql',
    ['--no-psqlrc', '--quiet', '--single-transaction', '-v', 'ON_ERROR_STOP=1', `--dbname=${connection.url}`, '--file', source],
    connection.env,
  );
  return 'sql';
}

/**
 * Storage-level problems of the configured database, empty when healthy. SQLite: `integrity_check` and
 * `foreign_key_check`. PostgreSQL maintains integrity itself; it is asked for indexes left invalid by a failed
 * concurrent build, which silently stop serving queries.
 */
export async function checkStorageIntegrity(database: Database): Promise<string[]> {
  const raw = database.raw.sqlite;
  if (raw) {
    const problems: string[] = [];
    const integrity = raw.pragma('integrity_check') as Array<{ integrity_check: string }>;
    for (const row of integrity) if (row.integrity_check !== 'ok') problems.push(`integrity_check: ${row.integrity_check}`);
    const orphans = raw.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
    for (const row of orphans.slice(0, 20))
      problems.push(`foreign_key_check: ${row.table} row ${row.rowid} points to a missing ${row.parent} row`);
    if (orphans.length > 20) problems.push(`foreign_key_check: ${orphans.length - 20} more rows with missing parents`);
    return problems;
  }
  const invalid = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)`.execute(database.db);
  return invalid.rows.map((row) => `index ${row.name} is invalid; rebuild it with REINDEX INDEX ${row.name}`);
}

/** Moves a password out of the URL into PGPASSWORD, so it never shows up in the process list. */
function splitPassword(url: string): { url: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.href, env: password ? { PGPASSWORD: password } : {} };
}

/** The full path of an executable on PATH, or null. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

async function runTool(name: 'pg_dump' | 'pg_restore' | 'psql', args: string[], env: Record<string, string>): Promise<void> {
  const executable = findOnPath(name);
  if (!executable) {
    throw new BackupError(
      'tool_missing',
      `${name} was not found on PATH. Install the PostgreSQL client tools (the same major version as the server or newer), ` +
        `e.g. "apt-get install postgresql-client", and try again.`,
    );
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(executable, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(new BackupError(name === 'pg_dump' ? 'backup_failed' : 'restore_failed', `${name} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
