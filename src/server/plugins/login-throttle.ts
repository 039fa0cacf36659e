import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { SecurityCounters } from '../../domain/operations/security-counters.js';
import type { ErrorCode } from '../../shared/errors.js';
import { sendProblem } from './errors.js';

/** A login attempt from one address: granted (give it back with `release()` when it succeeds) or refused. */
export type AddressReservation = { granted: true; release(): void } | { granted: false; retryAfterSeconds: number };

/**
 * Per-client-IP limit on failed logins (docs/product/security-settings.md#login-throttling): 10 in a sliding minute →
 * 429 with Retry-After.
 *
 * An attempt is reserved synchronously, before its password is hashed, and counts as a failure unless it is released
 * (a successful login, or a login that never reached a password check): a burst of parallel requests gets at most 10
 * checks, not as many as arrive before the first failure is known. Attempts still in flight count too.
 *
 * Kept in memory per node: it slows one noisy client, and a deployment of N nodes allows 10 × N a minute from one
 * address; the per-account lock, which must hold across nodes, lives in the database
 * (docs/decisions/0005-login-throttling.md). A second-factor step
 * (docs/product/security-settings.md#two-factor-authentication) reserves here too, so codes count against the same
 * limit. Passkey-login challenges have a budget of their own made of this class, whose reservations are never given
 * back (`passkeyChallengesPerMinute`).
 */
export class LoginIpThrottle {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  reserve(ip: string): AddressReservation {
    const recent = this.recent(ip);
    if (recent.length >= this.limit) {
      const oldest = recent[recent.length - this.limit] ?? this.now();
      return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000)) };
    }
    const at = this.now();
    recent.push(at);
    this.attempts.set(ip, recent);
    if (this.attempts.size > 100_000) this.sweep();
    let released = false;
    return {
      granted: true,
      release: () => {
        if (released) return;
        released = true;
        const list = this.attempts.get(ip);
        const index = list?.lastIndexOf(at) ?? -1;
        if (!list || index < 0) return;
        list.splice(index, 1);
        if (list.length === 0) this.attempts.delete(ip);
      },
    };
  }

  private recent(ip: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.attempts.get(ip) ?? []).filter((at) => at > cutoff);
  }

  private sweep(): void {
    for (const ip of this.attempts.keys()) if (this.recent(ip).length === 0) this.attempts.delete(ip);
  }
}

/**
 * Runs one login step (a password, a second factor, a passkey) under the caller's address limit: reserves a
 * failed-login slot before any secret is checked, answers 429 `rate_limited` (counted as `login_address`) when none is
 * left, and gives the slot back unless the step failed with `keepOn` — an outage or a bad request does not count
 * against the address. Resolves null once the 429 is sent.
 */
export async function withAddressLimit<T>(
  limit: { throttle: LoginIpThrottle; counters: SecurityCounters },
  request: FastifyRequest,
  reply: FastifyReply,
  keepOn: ErrorCode,
  work: () => Promise<T>,
): Promise<T | null> {
  const attempt = limit.throttle.reserve(request.ip);
  if (!attempt.granted) {
    const { retryAfterSeconds } = attempt;
    limit.counters.rateLimited('login_address');
    sendProblem(reply, 'rate_limited', `Too many failed logins from your address. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
    return null;
  }
  const result = await work().catch((error: unknown) => {
    if (!(error instanceof DomainError && error.code === keepOn)) attempt.release();
    throw error;
  });
  attempt.release();
  return result;
}
