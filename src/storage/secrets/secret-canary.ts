import type { Executor } from '../dialects/driver.js';

export const canaryRowId = 'canary';

/** The stored canary value, or null when no start with a key has written it yet (or migration 0008 is pending). */
export async function readSecretCanary(executor: Executor): Promise<string | null> {
  const row = await executor.selectFrom('secret_canary').select('value').where('id', '=', canaryRowId).executeTakeFirst();
  return row?.value ?? null;
}

/** Writes the canary unless another node or process wrote it first; the caller reads back what won. */
export async function insertSecretCanary(executor: Executor, value: string, now: string): Promise<void> {
  await executor
    .insertInto('secret_canary')
    .values({ id: canaryRowId, value, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
