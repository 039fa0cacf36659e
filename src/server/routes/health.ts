import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import type { Services } from '../../domain/context.js';
import { checkReadiness } from '../../domain/operations/check-readiness.js';
import { mayReadMetrics } from '../../domain/operations/may-read-metrics.js';
import { problemResponses } from '../../shared/api/common.js';
import { sendProblem } from '../plugins/errors.js';
import { addressMatcher } from '../plugins/metrics.js';

const StatusSchema = Type.Object({ status: Type.String(), detail: Type.Optional(Type.String()) });

/** Liveness, readiness and metrics, outside `/api/v1` (docs/product/running.md#health-and-metrics). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services; registry: Registry }> = async (app, { services, registry }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'none' },
      schema: {
        operationId: 'checkLiveness',
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        description:
          'No authentication. 200 `{ status: "ok" }` while the process serves HTTP; it does not touch the database, so it suits a liveness probe, not routing decisions.',
        response: { 200: StatusSchema, ...problemResponses(400) },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'none' },
      schema: {
        operationId: 'checkReadiness',
        tags: ['operations'],
        summary: 'Readiness: the database answers (503 while it does not)',
        description:
          'No authentication. 200 `{ status: "ready" }` when the database answers and every migration is applied, otherwise 503 `{ status: "not_ready", detail }`: use it to decide whether a node gets traffic.',
        response: { 200: StatusSchema, 503: StatusSchema, ...problemResponses(400) },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(services);
      return readiness.ready ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready', detail: readiness.detail });
    },
  );

  // Guarded (docs/product/running.md#health-and-metrics): an address in ROSTER_METRICS_ALLOW, or a bearer token holding
  // organization.metrics.view; anyone else gets the same 404 as for a path that does not exist.
  const allowed = addressMatcher(services.config.metricsAllow);
  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const may = allowed(request.ip) || (token !== undefined && (await mayReadMetrics(services, token)));
    if (!may) return sendProblem(reply, 'not_found', 'There is no such page.');
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
