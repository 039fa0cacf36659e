import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AccountResult } from '../../src/shared/api/people.js';
import { csvChunks, csvRecord, neutraliseCsvCell, toCsv } from '../../src/shared/csv.js';

// docs/product/security-settings.md#input: the characters that make a spreadsheet run a cell as a formula.
const dangerous = ['=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', '\t', '\r'];

// docs/product/security-settings.md#input
describe('the one CSV writer', () => {
  it.each(dangerous.map((c) => [JSON.stringify(c), c]))('puts an apostrophe before a cell that starts with %s', (_label, c) => {
    const payload = `${c}HYPERLINK("http://evil.example","x")`;
    expect(neutraliseCsvCell(payload)).toBe(`'${payload}`);
    // Through the whole writer: quoted where needed, and read back as the neutralised text.
    const [row] = parse(csvRecord([payload, 'safe']), { relax_quotes: false }) as string[][];
    expect(row).toEqual([`'${payload}`, 'safe']);
  });

  it('leaves other cells alone, including those with a dangerous character later on', () => {
    for (const value of ['alice', 'a=b', 'x@example.com', '2026-01-01T00:00:00.000Z', "'already", ' =spaced', '', '{"a":1}']) {
      expect(neutraliseCsvCell(value)).toBe(value);
    }
  });

  it('writes numbers, booleans and empty values as data, never as formulas', () => {
    expect(csvRecord([42, -1, true, null, undefined])).toBe('42,-1,true,,\n');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and reads back exactly', () => {
    const values = ['a,b', 'say "hi"', 'two\nlines', 'cr\rinside', '=1+1', '\u00e9\u4e2d'];
    const text = toCsv(['one', 'two', 'three', 'four', 'five', 'six'], [values]);
    expect(parse(text)).toEqual([
      ['one', 'two', 'three', 'four', 'five', 'six'],
      [...values.slice(0, 4), "'=1+1", '\u00e9\u4e2d'],
    ]);
  });

  it('streams large outputs in chunks, header first, the same bytes as toCsv', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`user-${i}`, i % 2 === 0 ? `=cmd${i}` : `+${i}`]);
    async function* source() {
      yield* rows;
    }
    const chunks: string[] = [];
    for await (const chunk of csvChunks(['name', 'value'], source())) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(toCsv(['name', 'value'], rows));
  });
});

// The console is type-checked by web/tsconfig.json (DOM, bundler resolution), not by this project: import the one
// function under test at run time, with its type written here.
const consoleModule = '../../web/src/features/people/account-rows.ts';
type ConsoleCsv = { resultCsv(results: readonly AccountResult[]): string };

describe('CSV the console builds in the browser', () => {
  it('neutralises what the Add people result echoes back (an invalid email is returned as typed)', async () => {
    const { resultCsv } = (await import(consoleModule)) as ConsoleCsv;
    const text = resultCsv([
      {
        email: '=HYPERLINK("http://evil.example","x")',
        status: 'failed',
        error: { code: 'validation_failed', message: '+That is not an email address.' },
      },
      {
        email: 'dana@example.com',
        status: 'created',
        user: { username: 'dana', role: 'member' } as AccountResult['user'],
        temporaryPassword: 'ABCDEFGHJKMNPQRSTVWX',
      },
    ]);
    expect(parse(text)).toEqual([
      ['email', 'username', 'role', 'status', 'temporary_password', 'error'],
      ['\'=HYPERLINK("http://evil.example","x")', '', '', 'failed', '', "'+That is not an email address."],
      ['dana@example.com', 'dana', 'member', 'created', 'ABCDEFGHJKMNPQRSTVWX', ''],
    ]);
  });
});
