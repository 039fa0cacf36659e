/**
 * Per-client-IP limit on failed logins (SPEC §5.3): 10 failures in a sliding minute → 429 with Retry-After.
 * Kept in memory per node: it slows one noisy client; the per-account lock, which must hold across nodes, lives in
 * the database (docs/decisions/0005-login-throttling.md).
 */
export class LoginIpThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this IP may try again, or 0 when it may try now. */
  retryAfterSeconds(ip: string): number {
    const recent = this.recent(ip);
    if (recent.length < this.limit) return 0;
    const oldest = recent[recent.length - this.limit] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000));
  }

  recordFailure(ip: string): void {
    const recent = this.recent(ip);
    recent.push(this.now());
    this.failures.set(ip, recent.slice(-this.limit));
    if (this.failures.size > 100_000) this.sweep();
  }

  private recent(ip: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(ip) ?? []).filter((at) => at > cutoff);
  }

  private sweep(): void {
    for (const ip of this.failures.keys()) if (this.recent(ip).length === 0) this.failures.delete(ip);
  }
}
