/** Exit codes of every `roster` command (docs/product/running.md#command-line). */
export const exitCodes = { ok: 0, error: 1, usage: 2, forbidden: 3 } as const;

/** Prints either JSON (`--json`) or the human form of a result. */
export interface Output {
  json: boolean;
  line(text: string): void;
  /** A note for people (stderr), never part of the machine-readable result. */
  note(text: string): void;
  result(data: unknown, human: () => string): void;
  error(code: string, message: string): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    line: (text) => stdout.write(`${text}\n`),
    note: (text) => stderr.write(`${text}\n`),
    result(data, human) {
      stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
    },
    error(code, message) {
      if (json) stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
      else stderr.write(`error: ${message} (${code})\n`);
    },
  };
}

/** Plain padded columns, header first; the last column is not padded, so no line ends in spaces. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const cells = [
    headers,
    ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell)))),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
