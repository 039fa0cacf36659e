import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PasswordHasher } from '../../domain/auth/password-hasher.js';

/** Prometheus metrics at /metrics: process defaults (incl. event-loop lag), request latency, hashing queue. */
export function installMetrics(app: FastifyInstance, hasher: PasswordHasher): Registry {
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
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
  });
  return registry;
}
