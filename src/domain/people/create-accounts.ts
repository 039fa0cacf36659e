import type { AccountResult, CreateAccountsBody } from '../../shared/api/people.js';
import type { OrganizationRole } from '../../shared/permissions.js';
import type { Executor } from '../../storage/database.js';
import {
  activeUsernamesStartingWith,
  activeUsernameTaken,
  findActiveUserByEmail,
  findActiveUsersByEmails,
} from '../../storage/queries/users.js';
import type { AccessSubject } from '../access/authorize.js';
import { recordDenials } from '../access/policies/enforce.js';
import { canInvitePeople, whyCannotGrantOrganizationRole } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { inferUsername, type ParsedEmail, parseEmail, parseUsername, usernameViolation, withSuffix } from './identity.js';
import { insertAccount } from './insert-account.js';
import { prepareTemporaryPassword } from './issue-temporary-password.js';
import { reloadActor } from './load-person.js';
import { presentUser } from './present-user.js';

/** A row that passed the checks that need no database: ready to insert once its password is hashed. */
interface PendingAccount {
  index: number;
  input: string;
  email: ParsedEmail;
  /** Null: infer from the email (docs/product/data.md#usernames). */
  username: string | null;
  role: OrganizationRole;
}

/** How often a row is retried when a concurrent request took its username or email between check and insert. */
const insertAttempts = 3;

/**
 * `POST /people` (docs/product/console.md#people): creates up to 500 accounts with temporary passwords. Each row
 * succeeds or fails on its own: `created`, `exists` (an active account already has the email; no new password, no role
 * change) or `failed`. Passwords are hashed before any transaction opens; each account is inserted with its
 * `user.created` event in its own transaction, so one bad row never stops the others.
 */
export async function createAccounts(ctx: OperationContext, body: CreateAccountsBody): Promise<AccountResult[]> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'user.created', target: { type: 'user', id: null, name: null } }, async () => {
    if (!canInvitePeople(actor)) throw new DomainError('forbidden', 'You need the organization.people.invite permission to add people.');
  });
  const results: AccountResult[] = new Array(body.accounts.length);
  const pending: PendingAccount[] = [];
  body.accounts.forEach((account, index) => {
    const parsed = parseRow(actor, account);
    if ('error' in parsed) results[index] = { email: account.email, status: 'failed', error: parsed.error };
    else pending.push({ index, input: account.email, ...parsed });
  });

  const existing = await activeEmails(
    ctx.database.db,
    pending.map((row) => row.email.canonical),
  );
  const toCreate = pending.filter((row) => {
    const user = existing.get(row.email.canonical);
    if (user) results[row.index] = { email: row.input, status: 'exists', user: presentUser(user) };
    return !user;
  });

  const passwords = await hashInParallel(ctx, toCreate.length);
  for (const [i, row] of toCreate.entries()) {
    const password = passwords[i];
    if (!password) throw new Error('a password is missing');
    results[row.index] = await createOne(ctx, actor, row, password);
  }
  return results;
}

function parseRow(
  actor: AccessSubject,
  account: CreateAccountsBody['accounts'][number],
): { email: ParsedEmail; username: string | null; role: OrganizationRole } | { error: { code: string; message: string } } {
  try {
    const email = parseEmail(account.email);
    const username = account.username === undefined || account.username.trim() === '' ? null : parseUsername(account.username);
    const role = account.role ?? 'member';
    const refusal = whyCannotGrantOrganizationRole(actor, role);
    if (refusal) return { error: { code: 'forbidden', message: refusal } };
    return { email, username, role };
  } catch (error) {
    if (error instanceof DomainError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}

async function activeEmails(db: Executor, canonical: string[]) {
  const found = new Map<string, Parameters<typeof presentUser>[0]>();
  for (const row of await findActiveUsersByEmails(db, canonical)) found.set(row.email_canonical, row);
  return found;
}

/**
 * `count` temporary passwords. The hasher caps how many run at once (docs/product/security-settings.md#passwords) and
 * refuses callers beyond its queue, so this feeds it at its own concurrency instead of queueing 500 hashes at once.
 */
async function hashInParallel(ctx: OperationContext, count: number): Promise<Array<{ plaintext: string; hash: string }>> {
  const out: Array<{ plaintext: string; hash: string }> = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await prepareTemporaryPassword(ctx);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.config.hashConcurrency, count)) }, worker));
  return out;
}

async function createOne(
  ctx: OperationContext,
  actor: AccessSubject,
  row: PendingAccount,
  password: { plaintext: string; hash: string },
): Promise<AccountResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.database.transact(async (trx) => {
        // R3 again, inside the transaction: the actor may have been demoted since the request began.
        const fresh = await reloadActor(trx, actor);
        const refusal = canInvitePeople(fresh) ? whyCannotGrantOrganizationRole(fresh, row.role) : 'You may no longer add people.';
        if (refusal) return { email: row.input, status: 'failed' as const, error: { code: 'forbidden', message: refusal } };
        const existing = await findActiveUserByEmail(trx, row.email.canonical);
        if (existing) return { email: row.input, status: 'exists' as const, user: presentUser(existing) };
        if (row.username !== null && (await activeUsernameTaken(trx, row.username))) {
          const message = `The username "${row.username}" is already taken.`;
          return { email: row.input, status: 'failed' as const, error: { code: 'username_taken', message } };
        }
        const username = row.username ?? (await freeUsername(trx, inferUsername(row.email.canonical)));
        const user = await insertAccount(ctx, trx, { username, email: row.email, role: row.role, passwordHash: password.hash });
        await recordAuditEvent(ctx, trx, {
          action: 'user.created',
          target: { type: 'user', id: user.id, name: user.username },
          details: { role: user.role, email: user.email, usernameInferred: row.username === null },
        });
        return { email: row.input, status: 'created' as const, user: presentUser(user), temporaryPassword: password.plaintext };
      });
    } catch (error) {
      // Another request took the name or email between our check and insert: check again (→ exists / next suffix).
      if (!ctx.database.isUniqueViolation(error) || attempt >= insertAttempts) throw error;
    }
  }
}

/**
 * `base`, or `base-2`, `base-3`, … : the first that is valid, not reserved and not used by an active account. Names
 * taken earlier in the same batch are already committed, so they count. One range read fetches `base` and `base-*`.
 */
export async function freeUsername(db: Executor, base: string): Promise<string> {
  const suffixed = `${base}-`;
  // Two index lookups rather than one OR: SQLite without statistics plans `a = ? OR (b >= ? AND b < ?)` as a scan of
  // every active user, which made each inferred name cost a full pass at a million accounts.
  const exact = await activeUsernameTaken(db, base);
  const taken = new Set(await activeUsernamesStartingWith(db, suffixed));
  if (exact) taken.add(base);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : withSuffix(base, n);
    if (usernameViolation(candidate) !== null) continue; // reserved names, e.g. `root` → `root-2`
    // A long base is cut to make room for the suffix; such rare candidates are checked one by one.
    const inUse = candidate === base || candidate.startsWith(suffixed) ? taken.has(candidate) : await activeUsernameTaken(db, candidate);
    if (!inUse) return candidate;
  }
}
