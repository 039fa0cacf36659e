import { verifyAuditChain } from '../../domain/audit/verify-audit-chain.js';
import type { OperationContext } from '../../domain/context.js';
import { checkWebAuthnDomain } from '../../domain/mfa/check-webauthn-domain.js';
import { explainChainBreak } from '../../shared/audit-chain.js';
import { checkStorageIntegrity } from '../../storage/backup.js';
import { appliedMigrations, pendingMigrations } from '../../storage/migrate.js';
import { migrations } from '../../storage/migrations/index.js';
import { missingAppendOnlyTriggers } from '../../storage/queries/audit-chain.js';
import { countActiveOwners } from '../../storage/queries/users.js';

/** One line of `roster doctor`'s report. */
interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * The database checks of `roster doctor` (maintenance-commands.ts), in a file of their own so that `roster` loads them
 * only when doctor runs (docs/decisions/0022-test-run-speed.md).
 */
export async function runDoctor(ctx: OperationContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let storage: string[];
  try {
    storage = await checkStorageIntegrity(ctx.database);
  } catch (error) {
    // Nothing else can be checked; say why instead of failing with a stack of driver errors.
    return [
      { name: 'storage', ok: false, detail: `the database is not usable: ${error instanceof Error ? error.message : String(error)}` },
    ];
  }
  checks.push({
    name: 'storage',
    ok: storage.length === 0,
    detail:
      storage.length === 0
        ? ctx.database.name === 'sqlite'
          ? 'integrity_check and foreign_key_check passed'
          : 'all indexes valid'
        : storage.join('; '),
  });

  const pending = await pendingMigrations(ctx.database);
  const schemaReady = pending.length < migrations.length;
  const known = new Set(migrations.map((m) => m.name));
  const applied = await appliedMigrations(ctx.database);
  const unknown = applied.filter((name) => !known.has(name));
  checks.push({
    name: 'migrations',
    ok: pending.length === 0 && unknown.length === 0,
    detail: [
      pending.length ? `pending: ${pending.join(', ')} (run "roster migrate")` : `${applied.length} applied`,
      unknown.length ? `applied by a newer Roster: ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
  if (!schemaReady) {
    for (const name of ['owners', 'audit chain', 'audit triggers']) {
      checks.push({ name, ok: false, detail: 'skipped: the database has no Roster schema' });
    }
    return checks;
  }

  const ownerCount = await countActiveOwners(ctx.database.db);
  checks.push({
    name: 'owners',
    ok: ownerCount >= 1,
    detail: ownerCount >= 1 ? `${ownerCount} active Owner(s)` : 'no active Owner; create one with "roster admin create-owner"',
  });

  if (pending.length > 0) {
    // The chain's head record and its triggers come with the migrations (0005): check them once they are applied.
    for (const name of ['audit chain', 'audit triggers']) checks.push({ name, ok: false, detail: 'skipped: migrations pending' });
    return checks;
  }
  const chain = await verifyAuditChain(ctx.database);
  checks.push({
    name: 'audit chain',
    ok: chain.valid,
    detail: chain.valid
      ? `${chain.checked} events verified${chain.head ? `, head ${chain.head.seq}:${chain.head.hash}` : ''}`
      : `${chain.brokenAt?.reason}: ${explainChainBreak(chain)}`,
  });
  const missing = await missingAppendOnlyTriggers(ctx.database);
  checks.push({
    name: 'audit triggers',
    ok: missing.length === 0,
    detail:
      missing.length === 0
        ? 'UPDATE and DELETE refused on the audit log; its head only moves forward'
        : `missing or disabled: ${missing.join(', ')}; the log can be changed without Roster (see docs/security.md)`,
  });
  checks.push({ name: 'security keys', ...(await checkWebAuthnDomain(ctx)) });
  return checks;
}
