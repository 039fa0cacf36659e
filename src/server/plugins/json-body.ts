import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';

/** Deepest nesting a request body may have; no API body needs more than 4. */
export const maxJsonDepth = 32;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
// Trojan-Source controls (embeddings, overrides, isolates) and NUL, which PostgreSQL text cannot store.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses.
export const forbiddenCharacters = /[\u0000\u202a-\u202e\u2066-\u2069]/;

/**
 * Why a JSON text is refused beyond plain syntax errors, or null: duplicate keys (which JSON.parse would silently
 * resolve to the last one), prototype-poisoning keys, nesting deeper than `maxJsonDepth`, and NUL or bidi control
 * characters in any string. One pass over the text; `JSON.parse` then does the parsing proper.
 */
export function jsonBodyViolation(text: string): string | null {
  const scopes: Array<{ keys: Set<string> | null; expectKey: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const literal = text.slice(i, end + 1);
      let value: string;
      try {
        value = JSON.parse(literal) as string;
      } catch {
        return null; // a syntax error: JSON.parse reports it
      }
      if (forbiddenCharacters.test(value)) return 'Text may not contain NUL or bidirectional control characters.';
      const scope = scopes.at(-1);
      if (scope?.keys && scope.expectKey) {
        if (forbiddenKeys.has(value)) return `The key "${value}" is not allowed.`;
        if (scope.keys.has(value)) return `The key "${value}" appears twice in one object.`;
        scope.keys.add(value);
        scope.expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      scopes.push({ keys: c === '{' ? new Set() : null, expectKey: c === '{' });
      if (scopes.length > maxJsonDepth) return `The body is nested deeper than ${maxJsonDepth} levels.`;
    } else if (c === '}' || c === ']') {
      scopes.pop();
    } else if (c === ',') {
      const scope = scopes.at(-1);
      if (scope?.keys) scope.expectKey = true;
    }
  }
  return null;
}

/** Replaces Fastify's JSON parser with one that also enforces `jsonBodyViolation` (docs/product/security-settings.md#input). */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    const violation = jsonBodyViolation(text);
    if (violation) return done(new DomainError('invalid_json', violation), undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new DomainError('invalid_json'), undefined);
    }
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The body may be left out: a request without one (or with JSON `null`) is read as `{}`, so that a missing current
     * password answers 403 like a wrong one instead of a 400 about the body's shape. The OpenAPI document says
     * `requestBody.required: false` for these routes (src/server/plugins/openapi.ts).
     */
    optionalBody?: boolean;
  }
}

/** Routes marked `optionalBody` read a missing or `null` body as `{}`, before validation. */
export function installOptionalBody(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.optionalBody && (request.body === undefined || request.body === null)) request.body = {};
  });
}

/**
 * The same rule for query strings and path parameters (docs/product/security-settings.md#input): NUL and bidi controls
 * are refused with 400 before a value reaches a handler or the database (PostgreSQL cannot store NUL at all).
 */
export function installUrlTextCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of [request.query, request.params]) {
      if (!part || typeof part !== 'object') continue;
      for (const [name, value] of Object.entries(part as Record<string, unknown>)) {
        const values = Array.isArray(value) ? value : [value];
        if (values.some((v) => typeof v === 'string' && forbiddenCharacters.test(v))) {
          const message = 'Text may not contain NUL or bidirectional control characters.';
          throw new DomainError('validation_failed', message, { errors: [{ field: `/${name}`, message }] });
        }
      }
    }
  });
}
