import type { FastifyRequest } from 'fastify';
import type { OperationContext, Services } from '../../domain/context.js';

/** The operation context for a request: the authenticated actor and where the request came from. */
export function requestContext(request: FastifyRequest, services: Services): OperationContext {
  const subject = request.auth?.subject;
  const userAgent = request.headers['user-agent'];
  return {
    ...services,
    actor: subject ? { kind: 'user', id: subject.userId, username: subject.username } : { kind: 'anonymous' },
    request: {
      // A cookie means the console; a token or no credential means a script or the CLI.
      via: request.auth?.method === 'session' ? 'web' : /^roster-cli\//.test(userAgent ?? '') ? 'cli' : 'api',
      ip: request.ip,
      userAgent: userAgent?.slice(0, 512) ?? null,
      requestId: request.id,
    },
  };
}
