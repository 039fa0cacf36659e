import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { preparedRead } from '../../src/storage/prepared-read.js';
import { describeEachDatabase } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

// Declared once per file: a name may be prepared only once per process.
const usersByRole = preparedRead<{ role: 'owner' | 'admin' | 'member'; after: string }, { username: string; role: string }>(
  'test_users_by_role',
  (db, param) =>
    db
      .selectFrom('users')
      .select(['username', 'role'])
      // A constant next to the parameters: it must stay in its place when the values are bound.
      .where('status', '=', 'active')
      .where('role', '=', param('role'))
      .where('username', '>', param('after'))
      .orderBy('username'),
);

// A parameter used as a column name would be spliced into the SQL text: refused when the query is first compiled.
const misuse = preparedRead<{ column: string }, unknown>('test_misuse', (db, param) =>
  db
    .selectFrom('users')
    .select('id')
    .orderBy(param('column') as 'id'),
);

// Column names a generated object literal could get wrong: a quote, a backslash and `__proto__`.
const awkwardColumns = preparedRead<{ username: string }, Record<string, unknown>>('test_awkward_columns', (db, param) =>
  db
    .selectFrom('users')
    .select([
      'username',
      sql<string>`'quoted'`.as('it"s'),
      sql<string>`'slashed'`.as('back\\slash'),
      sql<string>`'not a prototype'`.as('__proto__'),
      sql<null>`null`.as('nothing'),
      sql<number>`42`.as('answer'),
    ])
    .where('username', '=', param('username')),
);

describeEachDatabase('prepared reads', (dialect) => {
  const t = useTestApp(dialect);

  async function insertUser(username: string, role: 'owner' | 'admin' | 'member', status: 'active' | 'removed' = 'active') {
    const email = `${username}@example.com`;
    await t()
      .services.database.db.insertInto('users')
      .values({
        id: randomUUID(),
        username,
        email,
        email_canonical: email,
        role,
        status,
        must_change_password: 0,
        created_at: new Date().toISOString(),
      })
      .execute();
  }

  it('binds named values and keeps constants, with new values on every call', async () => {
    await insertUser('pr-ann', 'admin');
    await insertUser('pr-bob', 'admin');
    await insertUser('pr-cat', 'member');
    await insertUser('pr-dan', 'admin', 'removed');
    const database = t().services.database;
    expect(await usersByRole(database, { role: 'admin', after: 'pr-' })).toEqual([
      { username: 'pr-ann', role: 'admin' },
      { username: 'pr-bob', role: 'admin' },
    ]);
    expect(await usersByRole(database, { role: 'admin', after: 'pr-ann' })).toEqual([{ username: 'pr-bob', role: 'admin' }]);
    expect(await usersByRole(database, { role: 'member', after: 'pr-' })).toEqual([{ username: 'pr-cat', role: 'member' }]);
  });

  it('sees a committed change on the next call', async () => {
    const database = t().services.database;
    expect(await usersByRole(database, { role: 'admin', after: 'zz-' })).toEqual([]);
    await insertUser('zz-fresh', 'admin');
    expect(await usersByRole(database, { role: 'admin', after: 'zz-' })).toEqual([{ username: 'zz-fresh', role: 'admin' }]);
    await t().services.database.db.updateTable('users').set({ role: 'member' }).where('username', '=', 'zz-fresh').execute();
    expect(await usersByRole(database, { role: 'admin', after: 'zz-' })).toEqual([]);
  });

  it('never sees what an open transaction has written but not committed', async () => {
    const database = t().services.database;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written: () => void = () => undefined;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const transaction = database.transact(async (trx) => {
      await trx.updateTable('users').set({ role: 'admin' }).where('username', '=', 'pr-cat').execute();
      written();
      await held;
      throw new Error('rolled back on purpose');
    });
    await wrote;
    // The transaction is open and waiting between two statements: a request's read must not see its write.
    const cat = (rows: Array<{ username: string }>) => rows.filter((row) => row.username === 'pr-cat');
    expect(cat(await usersByRole(database, { role: 'admin', after: 'pr-c' }))).toEqual([]);
    release();
    await expect(transaction).rejects.toThrow('rolled back on purpose');
    expect(cat(await usersByRole(database, { role: 'member', after: 'pr-c' }))).toEqual([{ username: 'pr-cat', role: 'member' }]);
  });

  it('answers each row as a plain object with every column as its own property, whatever the names', async () => {
    await insertUser('pr-awk', 'member');
    const [row] = await awkwardColumns(t().services.database, { username: 'pr-awk' });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row ?? {})).toEqual(['username', 'it"s', 'back\\slash', '__proto__', 'nothing', 'answer']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('not a prototype');
    expect(row).toMatchObject({ username: 'pr-awk', 'it"s': 'quoted', 'back\\slash': 'slashed', nothing: null });
    expect(Number(row?.answer)).toBe(42);
  });

  it('refuses a parameter outside a value position', async () => {
    await expect(async () => misuse(t().services.database, { column: 'id' })).rejects.toThrow(/outside a value position/);
  });
});

it('refuses a name declared twice', () => {
  expect(() => preparedRead('test_users_by_role', (db) => db.selectFrom('users').select('id'))).toThrow(/declared twice/);
});
