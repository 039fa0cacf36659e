import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { readAuditHead } from '../../domain/audit/read-audit-head.js';
import type { Services } from '../../domain/context.js';
import { loginFailureReasons, rateLimits } from '../../domain/operations/security-counters.js';

/**
 * Prometheus metrics at /metrics: process defaults (incl. event-loop lag), request latency, hashing queue, event-loop
 * delay, the audit chain head, and the security counters operators alert on.
 */
export function installMetrics(app: FastifyInstance, services: Pick<Services, 'hasher' | 'database' | 'securityCounters'>): Registry {
  const { hasher } = services;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'roster_', eventLoopMonitoringPrecision: 10 });
  const duration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'Request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'roster_http_requests_total',
    help: 'Requests by route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  new Gauge({
    name: 'roster_password_hash_queue',
    help: 'Password hashes running and waiting',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'running' }, hasher.load.running);
      this.set({ state: 'waiting' }, hasher.load.waiting);
    },
  });
  new Gauge({
    name: 'roster_audit_head_seq',
    help: "Sequence number of the audit chain's newest event (docs/product/audit-log.md#hash-chain); a drop means the log was cut",
    registers: [registry],
    async collect() {
      // Read at scrape time (one row by primary key), so every node reports the shared chain's current head. A failed
      // read leaves the last value rather than failing the whole scrape.
      try {
        this.set((await readAuditHead(services)).seq);
      } catch {
        // The database being down shows in /readyz and in request errors.
      }
    },
  });
  // Every problem answer by its stable code (src/shared/errors.ts): what operators alert on, e.g. failed logins
  // (invalid_credentials), throttling (rate_limited), denied decisions (forbidden), CSRF refusals, bad tokens.
  const problems = new Counter({
    name: 'roster_http_problems_total',
    help: 'Error answers (application/problem+json) by stable error code and status',
    labelNames: ['code', 'status'],
    registers: [registry],
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (
      reply.statusCode >= 400 &&
      typeof payload === 'string' &&
      String(reply.getHeader('content-type')).startsWith('application/problem+json')
    ) {
      const code = /"code":"([a-z_]{1,64})"/.exec(payload)?.[1] ?? 'unknown';
      problems.inc({ code, status: String(reply.statusCode) });
    }
    return payload;
  });
  installSecurityCounters(app, services.securityCounters, registry);
  installEventLoopDelayHistogram(app, registry);
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
  });
  return registry;
}

/**
 * What the problem counter cannot tell apart (docs/product/running.md#health-and-metrics, docs/decisions/0020): failed
 * logins by reason (a locked account answers like a wrong password), lockouts, failed second factors, and 429s by the
 * limit that refused. Counted where they are decided (the domain and the login routes) through `securityCounters`;
 * every label value starts at 0, so `increase()` sees the first event.
 */
function installSecurityCounters(app: FastifyInstance, counters: Services['securityCounters'], registry: Registry): void {
  const loginFailures = new Counter({
    name: 'roster_login_failures_total',
    help: 'Refused logins by reason: bad_credentials (unknown name or wrong password, not told apart), locked, temporary_password, passkey',
    labelNames: ['reason'],
    registers: [registry],
  });
  const lockouts = new Counter({
    name: 'roster_login_lockouts_total',
    help: 'Accounts that started a login lock (each auth.locked audit event)',
    registers: [registry],
  });
  const secondFactorFailures = new Counter({
    name: 'roster_second_factor_failures_total',
    help: 'Refused second factors, at login and on changes (invalid_second_factor)',
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'roster_rate_limited_total',
    help: 'Requests refused with 429 by limit: login_address, passkey_challenges, hash_queue, search',
    labelNames: ['limit'],
    registers: [registry],
  });
  for (const reason of loginFailureReasons) loginFailures.inc({ reason }, 0);
  for (const limit of rateLimits) rateLimited.inc({ limit }, 0);
  const detach = counters.attach({
    loginFailed: (reason) => loginFailures.inc({ reason }),
    lockoutStarted: () => lockouts.inc(),
    secondFactorFailed: () => secondFactorFailures.inc(),
    rateLimited: (limit) => rateLimited.inc({ limit }),
  });
  app.addHook('onClose', async () => detach());
}

/** How often the event-loop probe fires; its lateness is the delay every request waiting at that moment also suffered. */
const probeIntervalMs = 20;

/**
 * `roster_event_loop_delay_seconds`: a cumulative histogram of how late a 20 ms timer fires. Unlike the default
 * `roster_nodejs_eventloop_lag_*` gauges (reset at every scrape), it keeps every stall, so `rate()` over its buckets
 * shows how often requests were held up by more than 10 or 50 ms (docs/product/speed-targets.md#targets: logins must
 * not stall other requests).
 */
function installEventLoopDelayHistogram(app: FastifyInstance, registry: Registry): void {
  const histogram = new Histogram({
    name: 'roster_event_loop_delay_seconds',
    help: 'Event-loop delay: lateness of a 20 ms probe timer',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  let expected = performance.now() + probeIntervalMs;
  let timer: NodeJS.Timeout;
  const probe = () => {
    const now = performance.now();
    histogram.observe(Math.max(0, now - expected) / 1000);
    expected = now + probeIntervalMs;
    timer = setTimeout(probe, probeIntervalMs).unref();
  };
  timer = setTimeout(probe, probeIntervalMs).unref();
  app.addHook('onClose', async () => clearTimeout(timer));
}

/**
 * A test for client addresses against IPs and CIDR blocks (ROSTER_METRICS_ALLOW). An IPv4 address seen as IPv4-mapped
 * IPv6 (`::ffff:127.0.0.1`, on a dual-stack listener) is checked as the IPv4 address it is.
 */
export function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [net = '', prefix] = entry.split('/');
    const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(net) === 0) continue;
    if (prefix === undefined) list.addAddress(net, family);
    else list.addSubnet(net, Number(prefix), family);
  }
  return (address) => {
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}
