import { toCsv } from '../../../../src/shared/csv';
import { organizationRoleIds } from '../../api/catalogue';
import type { AccountResult } from '../../api/people';
import type { InstanceRoleId } from '../../api/types';

/** One row of the Add people dialog. `role` only comes from a pasted or uploaded CSV (`email,username,role`). */
export interface AccountRow {
  key: number;
  email: string;
  username: string;
  role?: InstanceRoleId;
}

export const maxAccountsPerRequest = 500;

let nextKey = 1;
export function emptyRow(): AccountRow {
  nextKey += 1;
  return { key: nextKey, email: '', username: '' };
}

/** A row counts when an email or a username was typed; empty rows are ignored (docs/product/console.md#people). */
export function isFilled(row: AccountRow): boolean {
  return row.email.trim() !== '' || row.username.trim() !== '';
}

// docs/product/data.md#emails: `local@domain`, ASCII local part, the domain may be an IDN; `admin@localhost` is valid,
// so no dot is required.
const emailShape = /^[!#-'*+\-/-9=?A-Z^-~.]+@[^\s@]+$/;

/** Why a row's email cannot be sent, or null. The server checks again; this catches typos before sending. */
export function emailProblem(row: AccountRow, rows: readonly AccountRow[]): string | null {
  const email = row.email.trim();
  if (email === '') return row.username.trim() === '' ? null : 'Enter an email address for this username.';
  if (email.length > 254) return 'An email address has at most 254 characters.';
  if (!emailShape.test(email)) return 'Enter a valid email address, like name@example.com.';
  const canonical = email.toLowerCase();
  const first = rows.find((other) => other.email.trim().toLowerCase() === canonical);
  if (first && first.key !== row.key) return 'This address is already in the list.';
  return null;
}

/** Keeps exactly one empty row at the end, so that typing in the last row always offers a new one. */
export function withTrailingEmptyRow(rows: readonly AccountRow[]): AccountRow[] {
  const filled = rows.filter((row, index) => isFilled(row) || index < rows.length - 1);
  const last = filled.at(-1);
  return last === undefined || isFilled(last) ? [...filled, emptyRow()] : filled;
}

export interface ParsedList {
  rows: AccountRow[];
  problems: string[];
}

const roleIds: readonly string[] = organizationRoleIds;

/** Reads a pasted list or an uploaded CSV: one email per line, or `email,username,role` with an optional header. */
export async function parseAccountList(text: string): Promise<ParsedList> {
  // Loaded on demand: most visits to the People page never paste or upload a list.
  const { parse } = await import('csv-parse/browser/esm/sync');
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as string[][];
  } catch (error) {
    return { rows: [], problems: [`The list could not be read as CSV: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const rows: AccountRow[] = [];
  const problems: string[] = [];
  records.forEach((record, index) => {
    const [email = '', username = '', role = ''] = record.map((cell) => cell.trim());
    if (index === 0 && email.toLowerCase() === 'email') return; // header row
    if (email === '' && username === '') return;
    const row: AccountRow = { ...emptyRow(), email, username };
    const wanted = role.toLowerCase();
    if (wanted !== '' && !roleIds.includes(wanted)) {
      problems.push(`Line ${index + 1}: “${role}” is not a role (use owner, admin or member); ${email || 'the row'} was added as Member.`);
    } else if (wanted !== '') {
      row.role = wanted as InstanceRoleId;
    }
    rows.push(row);
  });
  if (rows.length === 0 && problems.length === 0) problems.push('No email addresses were found in the list.');
  return { rows, problems };
}

/**
 * The Add people result as CSV, through Roster's one CSV writer: no cell can run as a formula
 * (docs/product/security-settings.md#input).
 */
export function resultCsv(results: readonly AccountResult[]): string {
  return toCsv(
    ['email', 'username', 'role', 'status', 'temporary_password', 'error'],
    results.map((result) => [
      result.email,
      result.user?.username ?? '',
      result.user?.role ?? '',
      result.status,
      result.temporaryPassword ?? '',
      result.error?.message ?? '',
    ]),
  );
}

/** Saves the result as CSV in the browser: the only other copy of the temporary passwords (docs/product/console.md#people). */
export function downloadResultCsv(results: readonly AccountResult[]): void {
  const csv = resultCsv(results);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `roster-new-accounts-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // Let the download start before the object URL (and with it this copy of the passwords) is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
