import { ProblemSchema } from '../../shared/api/common.js';
import { type ErrorCode, errorCatalogue } from '../../shared/errors.js';

/**
 * What @fastify/swagger builds from the route schemas, made ready for client generators (docs/api-clients.md,
 * docs/decisions/0020): license and contact, the tags with their console areas, errors as application/problem+json
 * with a reference to one `Problem` schema, and an example for every documented body. Route schemas bring the rest
 * (operationId, summary, description, tags); `npm run lint` refuses a document that lacks any of it.
 */

/** The tags, in the console's areas (docs/product/console.md). A route's tag must be one of these. */
export const openApiTags = [
  { name: 'auth', description: 'Logging in and out, changing your password' },
  { name: 'profile', description: 'Your own account (the console\'s "Profile" page): username, email, token, sessions' },
  { name: 'people', description: 'The People page: accounts, roles, resets, unlocks, exports' },
  { name: 'projects', description: 'The Projects page: projects, their owner and who has access' },
  { name: 'groups', description: 'The Groups page: groups, members and the projects they reach' },
  { name: 'roles', description: 'The Roles page: the predefined roles and the permission catalogue (read-only)' },
  { name: 'authorization', description: 'The authorization API: may this subject do this, and why' },
  { name: 'audit', description: 'The Audit page: the tamper-evident log, its export and its verification' },
  { name: 'service-accounts', description: 'Service accounts on the People page: machine identities with an expiring rss_ token' },
  {
    name: 'applications',
    description: 'Settings → Applications: the applications that sign people in through Roster (OpenID Connect clients)',
  },
  {
    name: 'identity-providers',
    description: 'Settings → Identity providers: the company identity providers people log in with (single sign-on)',
  },
  { name: 'settings', description: 'Settings → Security: who must use two-factor authentication' },
  { name: 'operations', description: 'Liveness and readiness for load balancers and orchestrators' },
];

const problemRef = { $ref: '#/components/schemas/Problem' };
const { $id: _id, ...problemSchema } = ProblemSchema as unknown as Json;
type Json = Record<string, unknown>;
type Media = { schema?: Json; example?: unknown; examples?: unknown };
type Response = { description?: string; content?: Record<string, Media> };

/** Set on the schema of an `optionalBody` route by the document's transform (src/server/plugins/openapi.ts). */
export const optionalBodyMark = 'x-roster-optional-body';

export function generatorReady(document: Json): Json {
  const components = (document.components ?? {}) as { schemas?: Record<string, Json> };
  const schemas = components.schemas ?? {};
  // The problem schema registered with app.addSchema arrives as `def-N`: give it its own name.
  for (const [name, schema] of Object.entries(schemas)) {
    if (schema.description === problemSchema.description) delete schemas[name];
  }
  schemas.Problem = problemSchema;
  document.components = { ...components, schemas };
  document.info = {
    ...(document.info as Json),
    license: { name: 'UNLICENSED', url: 'https://roster.dev/license' },
    contact: { name: 'Roster maintainers', url: 'https://roster.dev', email: 'maintainers@roster.dev' },
  };
  document.tags = openApiTags;
  const resolve = (schema: Json): Json => {
    const ref = schema.$ref;
    return typeof ref === 'string' ? (schemas[ref.replace('#/components/schemas/', '')] ?? {}) : schema;
  };
  type Operation = { responses?: Record<string, Response>; requestBody?: { required?: boolean }; [optionalBodyMark]?: true };
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(item)) {
      if (operation[optionalBodyMark]) {
        delete operation[optionalBodyMark];
        if (operation.requestBody) operation.requestBody.required = false;
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const content = response.content;
        if (!content) continue;
        const first = Object.values(content)[0]?.schema;
        if (Number(status) >= 400 && first && resolve(first).description === problemSchema.description) {
          response.content = { 'application/problem+json': { schema: problemRef, example: problemExample(Number(status)) } };
          continue;
        }
        for (const [media, shared] of Object.entries(content)) {
          // One object per media type: @fastify/swagger may share one between them.
          const body: Media = { ...shared };
          content[media] = body;
          // @fastify/swagger moves a top-level schema's `examples` into a map keyed by the example itself: one example
          // per media type reads better (the audit export lists its NDJSON and its CSV example).
          if (body.examples && typeof body.examples === 'object' && !Array.isArray(body.examples)) {
            const values = Object.values(body.examples as Record<string, { value: unknown }>).map((entry) => entry.value);
            body.example = pickExample(values, media);
            delete body.examples;
          }
          if (body.example === undefined && body.schema) body.example = exampleOf(body.schema, media, resolve);
        }
      }
    }
  }
  return document;
}

/** The body the server sends for the usual code of `status` (src/server/plugins/errors.ts, sendProblem). */
function problemExample(status: number): Json {
  const typical: ErrorCode[] = ['validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rate_limited'];
  const entry =
    Object.entries(errorCatalogue).find(([code, value]) => value.status === status && typical.includes(code as ErrorCode)) ??
    Object.entries(errorCatalogue).find(([, value]) => value.status === status);
  const [code, { title }] = (entry ?? ['internal_error', errorCatalogue.internal_error]) as [ErrorCode, { title: string }];
  return { type: `https://roster.dev/problems/${code.replaceAll('_', '-')}`, title, status, detail: title, code };
}

/** Of several examples, the one in `media`'s shape (a JSON line for NDJSON, a header row for CSV), else the first. */
function pickExample(values: unknown[], media: string): unknown {
  const isJsonLine = (value: unknown) => String(value).startsWith('{');
  if (media === 'application/x-ndjson') return values.find(isJsonLine) ?? values[0];
  if (media === 'text/csv') return values.find((value) => !isJsonLine(value)) ?? values[0];
  return values[0];
}

const byFormat: Record<string, string> = {
  uuid: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  'date-time': '2026-12-01T09:30:00.000Z',
  email: 'ada@example.com',
  uri: 'https://roster.example.com/',
};
const byName: Record<string, string> = { username: 'ada', email: 'ada@example.com', name: 'Payroll', ip: '192.0.2.10' };

/** A value the schema accepts: its own example if it has one, else one built from types, formats and names. */
function exampleOf(schema: Json, media: string, resolve: (schema: Json) => Json, name = '', depth = 0): unknown {
  const s = resolve(schema);
  if (Array.isArray(s.examples) && s.examples.length > 0) return pickExample(s.examples, media);
  if (s.example !== undefined) return s.example;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (depth > 12) return null;
  const variants = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (variants) {
    const chosen = variants.find((variant) => resolve(variant).type !== 'null') ?? variants[0];
    return chosen ? exampleOf(chosen, media, resolve, name, depth + 1) : null;
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Json>;
      return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, exampleOf(value, media, resolve, key, depth + 1)]));
    }
    case 'array': {
      const item = exampleOf((s.items ?? {}) as Json, media, resolve, name, depth + 1);
      return [item];
    }
    case 'string':
      return (
        byFormat[String(s.format)] ??
        byName[name] ??
        (typeof s.minLength === 'number' && s.minLength > 8 ? 'x'.repeat(s.minLength) : 'text')
      );
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}
