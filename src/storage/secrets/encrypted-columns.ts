import type { Kysely } from 'kysely';
import type { Executor } from '../dialects/driver.js';

/**
 * Every column that holds values of the secret store (docs/product/security-settings.md#secrets-the-server-reads-back),
 * with the column that identifies its row (the row id in the additional authenticated data). `roster secrets rekey`
 * walks exactly this list, so a feature that stores a secret registers its column here (TOTP seeds first:
 * `{ table: 'mfa_totp', column: 'secret', idColumn: 'user_id' }`). Values may be NULL; ids are text.
 */
export interface EncryptedColumn {
  table: string;
  column: string;
  idColumn: string;
}

export const canaryColumn: EncryptedColumn = { table: 'secret_canary', column: 'value', idColumn: 'id' };

/** TOTP seeds (docs/product/security-settings.md#two-factor-authentication), keyed by their account. */
export const totpSecretColumn: EncryptedColumn = { table: 'mfa_totp', column: 'secret', idColumn: 'user_id' };

/** The OpenID Connect provider's signing keys and cookie keys (docs/oidc.md), keyed by their key id. */
export const oidcKeyColumn: EncryptedColumn = { table: 'oidc_keys', column: 'secret', idColumn: 'id' };

/** Client secrets of the identity providers people log in with (docs/sso.md), keyed by the provider's id. */
export const identityProviderSecretColumn: EncryptedColumn = { table: 'identity_providers', column: 'client_secret', idColumn: 'id' };

export const encryptedColumns: readonly EncryptedColumn[] = [canaryColumn, totpSecretColumn, oidcKeyColumn, identityProviderSecretColumn];

/** A view of any table by name: the registry's columns are not all known to the Schema type of this version. */
type AnyTables = Kysely<Record<string, Record<string, string | null>>>;

export interface EncryptedCell {
  id: string;
  value: string;
}

/** The next `limit` non-NULL values after row `afterId`, in id order (keyset: each batch is one bounded index range). */
export async function encryptedCellsAfter(
  executor: Executor,
  column: EncryptedColumn,
  afterId: string | null,
  limit: number,
): Promise<EncryptedCell[]> {
  const db = executor as unknown as AnyTables;
  let query = db
    .selectFrom(column.table)
    .select([`${column.idColumn} as id`, `${column.column} as value`])
    .where(column.column, 'is not', null)
    .orderBy(column.idColumn)
    .limit(limit);
  if (afterId !== null) query = query.where(column.idColumn, '>', afterId);
  const rows = (await query.execute()) as Array<{ id: unknown; value: unknown }>;
  return rows.map((row) => ({ id: String(row.id), value: String(row.value) }));
}

/** Replaces one value only if it is still `previous` (a concurrent change wins); true when the row changed. */
export async function replaceEncryptedCell(
  executor: Executor,
  column: EncryptedColumn,
  cell: EncryptedCell,
  next: string,
): Promise<boolean> {
  const db = executor as unknown as AnyTables;
  const result = await db
    .updateTable(column.table)
    .set({ [column.column]: next })
    .where(column.idColumn, '=', cell.id)
    .where(column.column, '=', cell.value)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
