import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import { type ErrorCode, errorCatalogue, type ProblemBody } from '../../shared/errors.js';
import { baselineSecurityHeaders } from './security-headers.js';

/** Node's parser errors (the `clientError` event) and the problem each one is. */
function problemFor(error: NodeJS.ErrnoException): { code: ErrorCode; detail: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return { code: 'headers_too_large', detail: 'The request headers are larger than the server accepts.' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'request_timeout', detail: 'The request did not arrive in time.' };
  return { code: 'validation_failed', detail: 'The request is not valid HTTP.' };
}

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request — headers too large (431), a timeout (408),
 * anything that is not HTTP (400) — as problem+json with the same security headers as every other response
 * (docs/product/security-settings.md#sessions-and-browser-security). Fastify's default writes a bare JSON answer
 * without them. Written straight to the socket, as Node and Fastify do: there is no request or reply object yet.
 */
export function clientErrorHandler(config: Config): (this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) => void {
  const headers = { ...baselineSecurityHeaders(config), 'cache-control': 'no-store' };
  const headerLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return function answerClientError(this: FastifyInstance, error, socket) {
    // A reset connection has nobody left to answer (as in Fastify's own handler).
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { code, detail } = problemFor(error);
    const { status, title } = errorCatalogue[code];
    const problem: ProblemBody = { type: `https://roster.dev/problems/${code.replaceAll('_', '-')}`, title, status, detail, code };
    const body = JSON.stringify(problem);
    this.log.debug({ code: error.code }, 'client error');
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n` +
          'content-type: application/problem+json; charset=utf-8\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\n` +
          'connection: close\r\n' +
          headerLines +
          `\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
