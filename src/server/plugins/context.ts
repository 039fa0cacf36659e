import type { FastifyRequest } from 'fastify';
import type { AccessSubject } from '../../domain/access/authorize.js';
import type { OperationContext, Services } from '../../domain/context.js';
import { DomainError } from '../../domain/errors.js';

/** The operation context for a request: the authenticated actor and where the request came from. */
export function requestContext(request: FastifyRequest, services: Services): OperationContext {
  const subject = request.auth?.subject;
  const userAgent = request.headers['user-agent'];
  return {
    ...services,
    actor: subject ? { kind: 'user', id: subject.userId, username: subject.username } : { kind: 'anonymous' },
    request: {
      via: viaOf(request, userAgent),
      ip: request.ip,
      userAgent: userAgent?.slice(0, 512) ?? null,
      requestId: request.id,
    },
  };
}

/**
 * Where a request came from: a session cookie or a browser's fetch metadata (logging in has no session yet) means
 * the console; the CLI names itself in its User-Agent; anything else is a script using the API.
 */
function viaOf(request: FastifyRequest, userAgent: string | undefined): 'web' | 'cli' | 'api' {
  if (request.auth?.method === 'session') return 'web';
  if (/^roster-cli\//.test(userAgent ?? '')) return 'cli';
  if (!request.auth && request.headers['sec-fetch-mode'] !== undefined) return 'web';
  return 'api';
}

/** The authenticated caller of a route that requires authentication (the hook has already answered 401 otherwise). */
export function actorOf(request: FastifyRequest): AccessSubject {
  if (!request.auth) throw new DomainError('unauthenticated');
  return request.auth.subject;
}
