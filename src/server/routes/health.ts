import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import type { Services } from '../../domain/context.js';
import { pendingMigrations } from '../../storage/migrate.js';

const StatusSchema = Type.Object({ status: Type.String(), detail: Type.Optional(Type.String()) });

/** Liveness, readiness and metrics, outside `/api/v1` (SPEC §6). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ services: Services; registry: Registry }> = async (app, { services, registry }) => {
  app.get('/healthz', { config: { auth: 'none' }, schema: { tags: ['operations'], response: { 200: StatusSchema } } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { config: { auth: 'none' }, schema: { tags: ['operations'], response: { 200: StatusSchema, 503: StatusSchema } } },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(services.database.db);
        const pending = await pendingMigrations(services.database);
        if (pending.length > 0) return reply.code(503).send({ status: 'not_ready', detail: `pending migrations: ${pending.join(', ')}` });
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'not_ready', detail: 'database unreachable' });
      }
    },
  );

  app.get('/metrics', { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
