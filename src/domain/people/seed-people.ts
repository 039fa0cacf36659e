import { randomBytes, randomUUID } from 'node:crypto';
import { startBulkUserLoad } from '../../storage/queries/bulk-users.js';
import { insertCredentials } from '../../storage/queries/credentials.js';
import { countSeededUsers, insertUsersSkippingTaken } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { prng } from '../seed/prng.js';
import { maxSeedCount } from './seed-limits.js';

/** Rows per INSERT: 500 × 8 parameters stays far below SQLite's and PostgreSQL's bind-parameter limits. */
const rowsPerInsert = 500;

// Enough names that searches behave like a real directory: "ali" finds one first name among many, "son" many surnames.
const firstNames = (
  'aaron abigail adam adrian aisha alan albert alex alice amelia amir ana andrea andrew angela anna anton arjun ava ' +
  'beatriz ben bianca boris brian bruno carla carlos carmen caroline chen chloe chris claire clara daniel david diana ' +
  'diego dmitri elena eli elif emma eric erik eva fatima felix fiona francesca frank gabriel george grace hannah hans ' +
  'harry hassan helen henry hiro hugo ian ines irene isaac isabel ivan jack jacob james jana jasmine jean jens joao ' +
  'john jonas jorge jose julia julian kai karen karim kate kenji kevin kim lara laura lea leo liam lin lucas lucia ' +
  'luis maria marco mark marta mateo max maya mei mia michael miguel mila mohamed nadia nina noah nora olga oliver ' +
  'omar oscar pablo paul pedro peter priya rafael rahul rosa ruby sam sara sofia stefan susan takeshi tara thomas tom ' +
  'uma victor wei william yara yusuf zoe'
).split(' ');
const lastNames = (
  'abbott adams ahmed alvarez anderson bailey baker banerjee becker bell bianchi brown campbell carter castro chen ' +
  'clark collins cooper costa cruz davies davis diaz dubois edwards evans fischer fernandez fontaine garcia gomez ' +
  'gonzalez green gupta hall hansen harris hernandez hill hoffmann hughes ivanov jackson jensen johnson jones kaur ' +
  'kelly khan kim king klein kowalski kumar lambert larsen lee lewis lopez martin martinez meyer miller moore morales ' +
  'morgan muller murphy nakamura nguyen nielsen novak oconnor olsen ortiz park patel perez petrov phillips popescu ' +
  'price ramirez reed reyes richter rivera roberts robinson rodriguez rossi russo sanchez santos sato schmidt schulz ' +
  'scott shah silva singh smith suzuki tanaka taylor thomas thompson torres turner walker wang watson weber white ' +
  'williams wilson wong wright yamamoto young zhang'
).split(' ');
const domains = ['example.com', 'example.org', 'example.net', 'corp.example', 'mail.example', 'dev.example.io'];

/**
 * A synthetic identity. `n` is unique per row and is the only trailing run of digits, so usernames and emails never
 * collide within a run; styles differ between username and email so prefix searches on each column differ too.
 */
export function syntheticIdentity(random: () => number, n: number): { username: string; email: string } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const first = pick(firstNames);
  const last = pick(lastNames);
  const style = Math.floor(random() * 4);
  const username =
    style === 0
      ? `${first}.${last}${n}`
      : style === 1
        ? `${first[0]}${last}${n}`
        : style === 2
          ? `${first}_${last}${n}`
          : `${last}-${first}${n}`;
  const local = style === 1 ? `${first}.${last}${n}` : style === 3 ? `${first[0]}.${last}${n}` : `${last}.${first}${n}`;
  return { username, email: `${local}@${pick(domains)}` };
}

/**
 * `roster admin seed --people <n>` (docs/product/running.md#command-line): fast synthetic accounts for demos and
 * benchmarks. Every account shares one argon2 hash of a random password that nobody is told (so none can log in until
 * an admin resets it), carries `seeded = 1`, and the whole batch is one transaction ending with one `people.seeded`
 * audit event. Rows go in as multi-row INSERTs; a generated name that an existing account already holds is skipped, not
 * an error.
 */
export async function seedPeople(
  ctx: OperationContext,
  input: { count: number; onProgress?: (inserted: number) => void },
): Promise<{ created: number; skipped: number }> {
  const { count } = input;
  if (!Number.isSafeInteger(count) || count < 1 || count > maxSeedCount) {
    throw new DomainError('validation_failed', `The number of people must be a whole number from 1 to ${maxSeedCount}.`);
  }
  const passwordHash = await ctx.hasher.hash(randomBytes(32).toString('base64url'));
  // Numbers continue after earlier seed runs, so running the command twice adds people instead of colliding.
  const firstNumber = (await countSeededUsers(ctx.database.db)) + 1;
  const random = prng(firstNumber * 2_654_435_761);
  const now = ctx.now().toISOString();

  let created = 0;
  await ctx.database.transact(async (trx) => {
    const load = await startBulkUserLoad(ctx.database, trx, count);
    for (let start = 0; start < count; start += rowsPerInsert) {
      const size = Math.min(rowsPerInsert, count - start);
      const users = Array.from({ length: size }, (_, i) => {
        const identity = syntheticIdentity(random, firstNumber + start + i);
        return {
          id: randomUUID(),
          username: identity.username,
          email: identity.email,
          email_canonical: identity.email.toLowerCase(),
          role: 'member' as const,
          status: 'active' as const,
          must_change_password: 0 as const,
          created_at: now,
          seeded: 1 as const,
        };
      });
      const inserted = await insertUsersSkippingTaken(trx, users);
      await insertCredentials(
        trx,
        inserted.map((id) => ({ user_id: id, password_hash: passwordHash, is_temporary: 0 as const, updated_at: now })),
      );
      created += inserted.length;
      input.onProgress?.(start + size);
    }
    await load.finish();
    await recordAuditEvent(ctx, trx, {
      action: 'people.seeded',
      target: { type: 'instance', id: null, name: null },
      details: { requested: count, created, firstNumber },
    });
  });
  return { created, skipped: count - created };
}
