import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { abortInteraction, describeInteraction, finishLoginStep, giveConsent } from '../../../domain/oidc/interactions.js';
import type { ProviderHost } from '../../../domain/oidc/provider-host.js';
import { requestContext } from '../../plugins/context.js';

const UidParams = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

/**
 * The steps of a sign-in through Roster's OpenID Connect provider, for the console page `/interaction/:uid`
 * (docs/oidc.md#signing-in). They live below that page's path because the provider binds a sign-in to the browser
 * that started it with a cookie of that Path; they are console addresses, outside `/api/v1` and its document.
 */
export const interactionRoutes: FastifyPluginAsyncTypebox<{ services: Services; host: ProviderHost }> = async (app, { services, host }) => {
  const exchange = (request: { raw: import('node:http').IncomingMessage }, reply: { raw: import('node:http').ServerResponse }) => ({
    req: request.raw,
    res: reply.raw,
  });
  // An application's own token (RequestAuth without a subject) is no person: these routes take no OIDC token anyway.
  const person = (request: { auth: { subject: import('../../../domain/access/authorize.js').AccessSubject | null } | null }) => {
    if (!request.auth?.subject) throw new DomainError('unauthenticated');
    return request.auth.subject;
  };
  const schema = { params: UidParams, hide: true };

  app.get(
    '/interaction/:uid/details',
    { schema, config: { auth: 'optional', allowRestricted: true, allowMfaSetup: true } },
    async (request, reply) =>
      describeInteraction(requestContext(request, services), await host.current(), exchange(request, reply), request.auth?.subject ?? null),
  );

  app.post('/interaction/:uid/login', { schema, config: { auth: 'required', optionalBody: true } }, async (request, reply) =>
    finishLoginStep(requestContext(request, services), await host.current(), exchange(request, reply), person(request)),
  );

  app.post('/interaction/:uid/consent', { schema, config: { auth: 'required', optionalBody: true } }, async (request, reply) =>
    giveConsent(requestContext(request, services), await host.current(), exchange(request, reply), person(request)),
  );

  app.post(
    '/interaction/:uid/abort',
    { schema, config: { auth: 'optional', allowRestricted: true, allowMfaSetup: true, optionalBody: true } },
    async (request, reply) => abortInteraction(await host.current(), exchange(request, reply)),
  );
};
