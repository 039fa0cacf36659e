import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/context.js';
import { DomainError } from '../../domain/errors.js';
import { type ErrorCode, errorCatalogue, type FieldError, type ProblemBody } from '../../shared/errors.js';

/** Sends a problem+json body for `code`; the only way any route answers with an error. */
export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
  extra: { errors?: FieldError[]; [key: string]: unknown } = {},
): FastifyReply {
  const { status, title } = errorCatalogue[code];
  // Every 429 says when to come back (docs/product/security-settings.md#login-throttling): `retryAfterSeconds` becomes
  // the Retry-After header, 1 s if unknown.
  const { retryAfterSeconds, ...members } = extra;
  if (status === 429)
    reply.header('retry-after', String(typeof retryAfterSeconds === 'number' ? Math.max(1, Math.ceil(retryAfterSeconds)) : 1));
  const body: ProblemBody = {
    type: `https://roster.dev/problems/${code.replaceAll('_', '-')}`,
    title,
    status,
    detail: detail ?? title,
    code,
    ...members,
  };
  return reply.code(status).type('application/problem+json').send(body);
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

/** Maps every error to problem+json; never echoes SQL, stacks or secrets (docs/product/security-settings.md#input). */
export function installErrorHandler(app: FastifyInstance, database: Services['database']): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof DomainError) return sendProblem(reply, error.code, error.message, error.extra);
    if (error.validation) {
      const errors = error.validation.map((issue) => ({
        field:
          issue.instancePath ||
          `/${String((issue.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ?? (issue.params as { missingProperty?: string }).missingProperty ?? '')}`,
        message: validationMessage(issue),
      }));
      return sendProblem(reply, 'validation_failed', `The ${error.validationContext ?? 'request'} is not valid.`, { errors });
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return sendProblem(reply, mapped);
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON|prototype|constructor/i.test(error.message))) {
      return sendProblem(reply, 'invalid_json');
    }
    if (database.isUnavailable(error)) {
      request.log.error({ err: error }, 'storage unavailable');
      return sendProblem(reply, 'storage_unavailable');
    }
    if (error.statusCode === 429) return sendProblem(reply, 'rate_limited');
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, 'internal_error', `Something went wrong on the server (request ${request.id}).`);
  });
}

function validationMessage(issue: { keyword: string; message?: string; params: Record<string, unknown> }): string {
  if (issue.keyword === 'additionalProperties') return `Unknown field "${String(issue.params.additionalProperty)}".`;
  if (issue.keyword === 'required') return `Missing field "${String(issue.params.missingProperty)}".`;
  return issue.message ?? 'Invalid value.';
}
