import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { preparedRead, preparedWrite } from '../../src/storage/prepared-read.js';
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

// Prepared writes: a conditional role change (it changes a row only when the role is the expected one) and an insert
// that can break the email's uniqueness.
const changeRole = preparedWrite<{ username: string; from: string; to: string }>('test_change_role', (db, param) =>
  db
    .updateTable('users')
    .set({ role: param('to') as 'admin' })
    .where('username', '=', param('username'))
    .where('role', '=', param('from') as 'member'),
);
const insertUser = preparedWrite<{ id: string; username: string; email: string; at: string }>('test_insert_user', (db, param) =>
  db.insertInto('users').values({
    id: param('id'),
    username: param('username'),
    email: param('email'),
    email_canonical: param('email'),
    role: 'member',
    status: 'active',
    must_change_password: 0,
    created_at: param('at'),
  }),
);

/**
 * Opens a transaction that makes `username` an Admin and then waits between two statements until `release()`, after
 * which it rolls back (`transaction` rejects with "rolled back on purpose"). Resolves once the write is made.
 */
async function openTransactionMakingAdmin(database: Database, username: string) {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let written: () => void = () => undefined;
  const wrote = new Promise<void>((resolve) => {
    written = resolve;
  });
  const transaction = database.transact(async (trx) => {
    await trx.updateTable('users').set({ role: 'admin' }).where('username', '=', username).execute();
    written();
    await held;
    throw new Error('rolled back on purpose');
  });
  await wrote;
  return { release, transaction };
}

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
    const { release, transaction } = await openTransactionMakingAdmin(database, 'pr-cat');
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

describeEachDatabase('prepared writes', (dialect) => {
  const t = useTestApp(dialect);
  const database = () => t().services.database;
  const roleOf = async (username: string) =>
    (await database().db.selectFrom('users').select('role').where('username', '=', username).executeTakeFirst())?.role;
  const newUser = (username: string, email = `${username}@example.com`) =>
    insertUser(database(), { id: randomUUID(), username, email, at: new Date().toISOString() });

  it('runs several statements in order in one transaction and answers the rows each changed', async () => {
    await database().writePrepared([newUser('pw-ann'), newUser('pw-bob')]);
    const changed = await database().writePrepared([
      changeRole(database(), { username: 'pw-ann', from: 'member', to: 'admin' }),
      // Sees the first statement's change: pw-ann is no longer a member.
      changeRole(database(), { username: 'pw-ann', from: 'member', to: 'owner' }),
      changeRole(database(), { username: 'pw-bob', from: 'admin', to: 'owner' }),
    ]);
    expect(changed).toEqual([1, 0, 0]);
    expect([await roleOf('pw-ann'), await roleOf('pw-bob')]).toEqual(['admin', 'member']);
  });

  it('changes nothing when one statement fails, and reports the failure as the database gave it', async () => {
    await database().writePrepared([newUser('pw-cat')]);
    const failing = database().writePrepared([
      changeRole(database(), { username: 'pw-cat', from: 'member', to: 'admin' }),
      newUser('pw-cat-again', 'pw-cat@example.com'),
    ]);
    const error = await failing.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(database().isUniqueViolation(error)).toBe(true);
    expect(await roleOf('pw-cat')).toBe('member');
    expect(await roleOf('pw-cat-again')).toBeUndefined();
    // The connection is usable afterwards, outside any transaction.
    expect(await database().writePrepared([changeRole(database(), { username: 'pw-cat', from: 'member', to: 'admin' })])).toEqual([1]);
  });

  it('lets exactly one of many simultaneous conditional writes change the row', async () => {
    await database().writePrepared([newUser('pw-dan')]);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        database().writePrepared([changeRole(database(), { username: 'pw-dan', from: 'member', to: i % 2 ? 'admin' : 'owner' })], {
          flush: i % 3 !== 0,
        }),
      ),
    );
    expect(answers.flat().filter((n) => n === 1)).toHaveLength(1);
    expect(answers.flat().reduce((sum, n) => sum + n, 0)).toBe(1);
  });

  it('waits for a transaction that is open and does not commit its writes for it', async () => {
    await database().writePrepared([newUser('pw-eve'), newUser('pw-fay')]);
    const { release, transaction } = await openTransactionMakingAdmin(database(), 'pw-eve');
    const write = database().writePrepared([changeRole(database(), { username: 'pw-fay', from: 'member', to: 'admin' })], { flush: false });
    setTimeout(release, 50);
    await expect(transaction).rejects.toThrow('rolled back on purpose');
    expect(await write).toEqual([1]);
    expect([await roleOf('pw-eve'), await roleOf('pw-fay')]).toEqual(['member', 'admin']);
  });
});

// SQLite only: PostgreSQL's SET LOCAL ends with its transaction by definition, and a pooled connection cannot be picked.
describe('prepared writes on SQLite', () => {
  const t = useTestApp('sqlite');
  const newUser = (username: string, email = `${username}@example.com`) =>
    insertUser(t().services.database, { id: randomUUID(), username, email, at: new Date().toISOString() });

  it('keeps the lighter sync setting to its own transaction, also when it fails', async () => {
    const raw = t().services.database.raw.sqlite;
    await t().services.database.writePrepared([newUser('pw-gus')], { flush: false });
    expect(raw?.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await expect(t().services.database.writePrepared([newUser('pw-gus-2', 'pw-gus@example.com')], { flush: false })).rejects.toThrow();
    expect(raw?.pragma('synchronous', { simple: true })).toBe(2);
  });
});
