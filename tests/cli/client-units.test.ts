import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientConfigPath, readClientConfig, writeClientConfig } from '../../src/cli/client/config-store.js';
import { accountBatchSize, createAccounts, readAccountsCsv } from '../../src/cli/commands/people-commands.js';
import { CliError } from '../../src/cli/errors.js';
import { formatTable } from '../../src/cli/output.js';
import type { CreateAccountsBody, CreateAccountsResponse } from '../../src/shared/api/people.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-cli-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('people add --csv', () => {
  it('reads email,username,role rows with an optional header, flagging unusable rows in place', () => {
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(
      file,
      '\ufeffEmail,Username,Role\n a@example.com , alice ,Admin\n\n,nobody,\nb@example.com,,\nc@example.com,,king\n"d@example.com","d,quoted",\n',
    );
    expect(readAccountsCsv(file)).toEqual([
      { email: 'a@example.com', username: 'alice', role: 'admin' },
      { email: '', status: 'failed', error: { code: 'invalid_email', message: 'The email column is empty.' } },
      { email: 'b@example.com' },
      {
        email: 'c@example.com',
        status: 'failed',
        error: { code: 'invalid_role', message: '"king" is not a role; use owner, admin or member.' },
      },
      { email: 'd@example.com', username: 'd,quoted' },
    ]);
    fs.writeFileSync(file, 'e@example.com\nf@example.com,f\n');
    expect(readAccountsCsv(file, 'member')).toEqual([
      { email: 'e@example.com', role: 'member' },
      { email: 'f@example.com', username: 'f', role: 'member' },
    ]);
  });

  it('sends batches of at most 500 and keeps the input order in the results', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) =>
      i === 7 ? { email: 'bad', status: 'failed' as const, error: { code: 'invalid_role', message: 'x' } } : { email: `p${i}@example.com` },
    );
    const batches: number[] = [];
    const send = async ({ accounts }: CreateAccountsBody): Promise<CreateAccountsResponse> => {
      batches.push(accounts.length);
      return { results: accounts.map((a) => ({ email: a.email, status: 'created' as const })) };
    };
    const results = await createAccounts(send, rows);
    expect(batches).toEqual([accountBatchSize, accountBatchSize, 202]);
    expect(results).toHaveLength(1203);
    expect(results.map((r) => r.email)).toEqual(rows.map((r) => r.email));
    expect(results[7]?.status).toBe('failed');
  });
});

describe('client configuration file', () => {
  it('is found through ROSTER_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(clientConfigPath({ ROSTER_CONFIG: '/tmp/x.json', XDG_CONFIG_HOME: '/xdg' })).toBe('/tmp/x.json');
    expect(clientConfigPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/roster/config.json');
    expect(clientConfigPath({})).toBe(path.join(os.homedir(), '.config', 'roster', 'config.json'));
  });

  it('is written with mode 0600 whatever the umask, and refused when group or others may read it', () => {
    const file = path.join(dir, 'nested', 'config.json');
    const previous = process.umask(0o000);
    try {
      writeClientConfig(file, { contexts: { a: { url: 'https://r.example', token: 'rst_x' } }, current: 'a' });
    } finally {
      process.umask(previous);
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readClientConfig(file)).toEqual({ contexts: { a: { url: 'https://r.example', token: 'rst_x' } }, current: 'a' });
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      fs.chmodSync(file, mode);
      expect(() => readClientConfig(file)).toThrow(CliError);
    }
    fs.chmodSync(file, 0o600);
    expect(readClientConfig(path.join(dir, 'absent.json'))).toEqual({ contexts: {}, current: null });
  });
});

describe('table output', () => {
  it('pads columns, marks empty cells and leaves no trailing spaces', () => {
    expect(
      formatTable(
        ['A', 'LONGER', 'C'],
        [
          ['x', null, 'z'],
          ['yyyy', 'b', ''],
        ],
      ),
    ).toBe(['A     LONGER  C', 'x     -       z', 'yyyy  b       -'].join('\n'));
  });
});
