/**
 * What operators alert on (docs/product/running.md#health-and-metrics, docs/decisions/0020): the domain reports failed
 * logins, lockouts, failed second factors and rate-limit refusals here, where they are decided, without knowing
 * Prometheus. The metrics plugin of each app attaches a sink that counts them (src/server/plugins/metrics.ts); with no
 * sink attached (offline commands) a report goes nowhere.
 */

/**
 * Why a login failed, as /metrics tells it. An unknown name and a wrong password are one reason on purpose
 * (`bad_credentials`): a separate count would tell whoever can both try logins and read /metrics which names exist.
 * The audit log keeps the real reason.
 */
export const loginFailureReasons = ['bad_credentials', 'locked', 'temporary_password', 'passkey'] as const;
export type LoginFailureReason = (typeof loginFailureReasons)[number];

/** The limits that answer 429 `rate_limited` (docs/product/api.md#errors). */
export const rateLimits = ['login_address', 'passkey_challenges', 'hash_queue', 'search'] as const;
export type RateLimit = (typeof rateLimits)[number];

/** The counts the domain and the routes report. Each call is one event; none of them may throw. */
export interface SecurityCounters {
  /** A password or passkey login refused (the API answers `invalid_credentials` or `passkey_not_accepted`). */
  loginFailed(reason: LoginFailureReason): void;
  /** An account started a lock: the failure that locked it (the audit log's `auth.locked`). */
  lockoutStarted(): void;
  /** A second factor refused, at login or on a change (the API answers `invalid_second_factor`). */
  secondFactorFailed(): void;
  /** A request refused with 429 by one of the limits. */
  rateLimited(limit: RateLimit): void;
}

/** The counters every operation reports to, and where the metrics of an app attach. */
export interface SecurityCounterHub extends SecurityCounters {
  /** Adds a sink (one app's metrics); returns its removal, for when the app closes. */
  attach(sink: SecurityCounters): () => void;
}

/** Forwards every report to the sinks attached at that moment; a sink that throws is skipped, never the request. */
export function createSecurityCounters(): SecurityCounterHub {
  const sinks = new Set<SecurityCounters>();
  const report = (count: (sink: SecurityCounters) => void) => {
    for (const sink of sinks) {
      try {
        count(sink);
      } catch {
        // A metric must never fail the request it counts.
      }
    }
  };
  return {
    loginFailed: (reason) => report((sink) => sink.loginFailed(reason)),
    lockoutStarted: () => report((sink) => sink.lockoutStarted()),
    secondFactorFailed: () => report((sink) => sink.secondFactorFailed()),
    rateLimited: (limit) => report((sink) => sink.rateLimited(limit)),
    attach(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
}
