/**
 * The one CSV writer of Roster (docs/product/security-settings.md#input): every CSV the server writes and every CSV the
 * console builds in the browser goes through here, so the formula rule cannot be forgotten by one of them. Plain
 * TypeScript with no Node or DOM API, so the server and the console import the same file
 * (docs/decisions/0006-audit-log.md says why it is not a library).
 */

/** A cell: text, or a value that is data by construction (numbers, booleans) and never a formula. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Spreadsheet programs run a cell that starts with one of these as a formula, whoever planted the text: `=`, `+`, `-`,
 * `@`, their full-width forms (which some programs fold to ASCII), tab and carriage return (OWASP, CSV injection).
 */
const formulaStart = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\t\r]/;

/** `'` before a text that a spreadsheet would run as a formula; any other text unchanged. */
export function neutraliseCsvCell(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

const needsQuotes = /[",\r\n]/;

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'string') return String(cell);
  const text = neutraliseCsvCell(cell);
  // RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled.
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, newline-terminated (LF, as Roster's exports have always been; spreadsheets read both). */
export function csvRecord(cells: readonly CsvCell[]): string {
  return `${cells.map(cellText).join(',')}\n`;
}

/** A whole CSV document: the header row, then one record per row. For files built at once (the console). */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  let text = csvRecord(header);
  for (const row of rows) text += csvRecord(row);
  return text;
}

/** About this many characters per chunk: few enough chunks to be cheap to stream, small enough to keep memory flat. */
const chunkSize = 64 * 1024;

/**
 * The same document as `toCsv`, as chunks of about 64 KiB for streaming a large export (server:
 * `Readable.from(csvChunks(columns, rows()))`). Rows are pulled one at a time, so memory stays flat.
 */
export async function* csvChunks(
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>,
): AsyncGenerator<string> {
  let pending = csvRecord(header);
  for await (const row of rows) {
    pending += csvRecord(row);
    if (pending.length >= chunkSize) {
      yield pending;
      pending = '';
    }
  }
  if (pending) yield pending;
}
