import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { describeMe } from '../../../domain/profile/describe-me.js';
import { csrfTokenFor } from '../../../domain/sessions/session-tokens.js';
import { problemResponses } from '../../../shared/api/common.js';
import { MeResponseSchema } from '../../../shared/api/me.js';

/** `/api/v1/me`: the caller, their effective role, permissions and the console's abilities. */
export const meRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/',
    {
      config: { allowRestricted: true },
      schema: { tags: ['profile'], summary: 'The caller', response: { 200: MeResponseSchema, ...problemResponses(401) } },
    },
    async (request) => {
      const auth = request.auth;
      if (!auth) throw new DomainError('unauthenticated');
      const me = await describeMe(services.database.db, auth.subject);
      return { ...me, csrfToken: auth.session ? csrfTokenFor(auth.session.rawId) : null };
    },
  );
};
