import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Strict request validation (docs/product/security-settings.md#input): unknown fields are an error (Fastify's default
 * would silently drop them), bodies are never type-coerced, and query strings are (they only carry strings).
 */
export function installValidation(app: FastifyInstance): void {
  const base = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false } as const;
  const strictAjv = addFormats.default(new Ajv.default({ ...base, coerceTypes: false }));
  const coercingAjv = addFormats.default(new Ajv.default({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema as object));
}
