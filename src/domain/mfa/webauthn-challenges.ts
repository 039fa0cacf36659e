import { randomBytes } from 'node:crypto';
import { deleteExpiredWebAuthnChallenges, insertWebAuthnChallenge, takeWebAuthnChallenge } from '../../storage/queries/webauthn.js';
import type { WebAuthnCeremony } from '../../storage/schema.js';
import type { OperationContext } from '../context.js';
import type { DomainError } from '../errors.js';

/** How long a ceremony may take, from the options to the answer (the browser's own timeout is the same). */
export const webAuthnCeremonyMs = 5 * 60 * 1000;
/** Expired challenges forgotten per new one: more than can pile up between two ceremonies, and still a small delete. */
const sweepPerIssue = 20;

/**
 * Issues a fresh challenge for one ceremony and stores it with its purpose, account and expiry (docs/decisions/0023):
 * in the database, so that any node continues the ceremony. Expired challenges are swept on the way.
 */
export async function issueWebAuthnChallenge(ctx: OperationContext, purpose: WebAuthnCeremony, userId: string | null): Promise<string> {
  const challenge = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await ctx.database.transact(
    async (trx) => {
      await deleteExpiredWebAuthnChallenges(trx, now.toISOString(), sweepPerIssue);
      await insertWebAuthnChallenge(trx, {
        challenge,
        purpose,
        userId,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + webAuthnCeremonyMs).toISOString(),
      });
    },
    // A challenge lost in a crash costs one retry of the ceremony, nothing else.
    { flush: false },
  );
  return challenge;
}

/** The challenge the browser signed, read from the answer's clientDataJSON; null when it is not there. */
export function challengeOfAnswer(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = typeof data === 'object' && data !== null ? (data as { challenge?: unknown }).challenge : undefined;
    return typeof challenge === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(challenge) ? challenge : null;
  } catch {
    return null;
  }
}

/**
 * Uses the challenge an answer carries, once: of several requests carrying the same challenge exactly one gets past
 * here (a conditional delete), also when they arrive together; an unknown, expired, used or foreign challenge throws
 * `failure`. The answer is verified against the challenge afterwards, so a used challenge is gone even when the
 * signature turns out wrong.
 */
export async function spendWebAuthnChallenge(
  ctx: OperationContext,
  clientDataJSON: string,
  expect: { purpose: WebAuthnCeremony; userId: string | null },
  failure: () => DomainError,
): Promise<string> {
  const challenge = challengeOfAnswer(clientDataJSON);
  if (!challenge) throw failure();
  // Its own statement, committed at once: a failed verification afterwards does not bring the challenge back.
  const taken = await takeWebAuthnChallenge(ctx.database.db, challenge, { ...expect, now: ctx.now().toISOString() });
  if (!taken) throw failure();
  return challenge;
}
