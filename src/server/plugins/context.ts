import type { FastifyRequest } from 'fastify';
import { accountCaller, type OperationContext, type Services } from '../../domain/context.js';

/**
 * The operation context for a request: the caller that authentication resolved (anonymous without a credential) and
 * where the request came from. Every route calls its operation as `operation(requestContext(request, services), …)`.
 */
export function requestContext(request: FastifyRequest, services: Services): OperationContext {
  const subject = request.auth?.subject;
  const userAgent = request.headers['user-agent'];
  return {
    ...services,
    caller: subject ? accountCaller(subject) : { kind: 'anonymous' },
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
