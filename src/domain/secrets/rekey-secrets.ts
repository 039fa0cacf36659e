import {
  type EncryptedCell,
  type EncryptedColumn,
  encryptedCellsAfter,
  encryptedColumns,
  replaceEncryptedCell,
} from '../../storage/secrets/encrypted-columns.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { requireSecretKey } from './require-secret-key.js';
import { SecretDecryptionError, type SecretKeyring } from './secret-keyring.js';

export interface RekeyColumnResult {
  table: string;
  column: string;
  /** Non-NULL values seen. */
  checked: number;
  /** Values rewritten under the current key. */
  rekeyed: number;
  /** Values that could not be read (listed in `failures`, left as they were). */
  failed: number;
}

export interface RekeyResult {
  keyId: string;
  columns: RekeyColumnResult[];
  rekeyed: number;
  failed: number;
  /** The first few unreadable values: where they are and why (never the value). */
  failures: string[];
}

const defaultBatchSize = 500;
const listedFailures = 20;

/**
 * `roster secrets rekey` (docs/product/security-settings.md#secrets-the-server-reads-back): rewrites every value of
 * every registered encrypted column that is not under the current key, in keyset batches of `batchSize` rows, one
 * short transaction each, so a running server is never held up for long. A value changed meanwhile by the server is
 * left to it (conditional update). Values that do not decrypt under any key in the ring are reported, not touched.
 * One audit event records the run.
 */
export async function rekeySecrets(
  ctx: OperationContext,
  options: { batchSize?: number; columns?: readonly EncryptedColumn[] } = {},
): Promise<RekeyResult> {
  const keyring = requireSecretKey(ctx, 'roster secrets rekey');
  const batchSize = options.batchSize ?? defaultBatchSize;
  const failures: string[] = [];
  const columns: RekeyColumnResult[] = [];
  for (const column of options.columns ?? encryptedColumns) {
    const result: RekeyColumnResult = { table: column.table, column: column.column, checked: 0, rekeyed: 0, failed: 0 };
    let afterId: string | null = null;
    for (;;) {
      const cells: EncryptedCell[] = await ctx.database.transact(async (trx) => {
        const batch = await encryptedCellsAfter(trx, column, afterId, batchSize);
        for (const cell of batch) {
          const outcome = await rekeyCell(keyring, column, cell, (next) => replaceEncryptedCell(trx, column, cell, next));
          if (outcome === 'rekeyed') result.rekeyed++;
          if (outcome instanceof SecretDecryptionError) {
            result.failed++;
            if (failures.length < listedFailures) failures.push(outcome.message);
          }
        }
        return batch;
      });
      result.checked += cells.length;
      const last = cells.at(-1);
      if (!last || cells.length < batchSize) break;
      afterId = last.id;
    }
    columns.push(result);
  }
  const rekeyed = columns.reduce((sum, c) => sum + c.rekeyed, 0);
  const failed = columns.reduce((sum, c) => sum + c.failed, 0);
  await ctx.database.transact((trx) =>
    recordAuditEvent(ctx, trx, {
      action: 'instance.secrets_rekeyed',
      target: { type: 'instance', id: null, name: null },
      details: { keyId: keyring.currentKeyId, rekeyed, failed, columns: columns.map((c) => `${c.table}.${c.column}`) },
      ...(failed > 0 ? { outcome: 'failure' as const } : {}),
    }),
  );
  return { keyId: keyring.currentKeyId, columns, rekeyed, failed, failures };
}

async function rekeyCell(
  keyring: SecretKeyring,
  column: EncryptedColumn,
  cell: EncryptedCell,
  replace: (next: string) => Promise<boolean>,
): Promise<'current' | 'rekeyed' | 'changed' | SecretDecryptionError> {
  if (!keyring.needsRekey(cell.value)) return 'current';
  const field = { table: column.table, column: column.column, rowId: cell.id };
  let plaintext: Buffer;
  try {
    plaintext = keyring.decrypt(field, cell.value);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return error;
    throw error;
  }
  try {
    return (await replace(keyring.encrypt(field, plaintext))) ? 'rekeyed' : 'changed';
  } finally {
    plaintext.fill(0);
  }
}
