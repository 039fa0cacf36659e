import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../scripts/lib/openapi-document.js';
import { lintOpenApiDocument } from '../../scripts/lib/openapi-lint.js';
import { useTestApp } from '../support/test-app.js';

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
};

/**
 * docs/api-clients.md — the OpenAPI document is ready for client generators: Redocly's recommended rules (warnings as
 * errors) and the house rules (camelCase operationId, summary, description, tags, a success, problem+json errors,
 * examples) find nothing, and each rule does fail the document when a route breaks it (so a new route without them is
 * caught here and in `npm run lint`). The document does not depend on the database: SQLite only.
 */
describe('the OpenAPI document', () => {
  const t = useTestApp('sqlite');
  const fetchDocument = async () => (await t().app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument;
  const operation = (document: OpenApiDocument, url: string, method: string) => document.paths[url]?.[method] as Operation;

  it('lints clean, with a unique camelCase operationId on every operation', async () => {
    const document = await fetchDocument();
    expect(await lintOpenApiDocument(document)).toEqual([]);
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => (op as Operation).operationId));
    expect(ids.length).toBeGreaterThan(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operation(document, '/api/v1/people', 'get').operationId).toBe('listPeople');
    expect(operation(document, '/api/v1/people/{id}/role', 'put').operationId).toBe('changePersonRole');
  }, 60_000);

  it('documents errors as application/problem+json and exports as CSV and NDJSON, each with an example', async () => {
    const document = await fetchDocument();
    const forbidden = operation(document, '/api/v1/people', 'get').responses['403']?.content ?? {};
    expect(Object.keys(forbidden)).toEqual(['application/problem+json']);
    expect(forbidden['application/problem+json']).toMatchObject({ example: { status: 403, code: 'forbidden' } });
    expect(Object.keys(operation(document, '/api/v1/people/export', 'get').responses['200']?.content ?? {})).toEqual(['text/csv']);
    const audit = operation(document, '/api/v1/audit/export', 'get').responses['200']?.content as Record<string, { example: string }>;
    expect(audit['application/x-ndjson']?.example).toMatch(/^\{"id"/);
    expect(audit['text/csv']?.example).toMatch(/^at,seq,/);
    expect(document.info).toMatchObject({ license: { name: expect.any(String) }, contact: { url: expect.any(String) } });
  });

  it.each([
    ['a missing operationId', (op: Operation) => delete op.operationId, /no operationId/],
    ['an operationId that is not camelCase', (op: Operation) => (op.operationId = 'get_api_v1_people'), /not camelCase/],
    ['a missing summary', (op: Operation) => delete op.summary, /no summary/],
    ['a missing description', (op: Operation) => delete op.description, /no description beyond the summary/],
    ['a description that only repeats the summary', (op: Operation) => (op.description = op.summary), /no description beyond the summary/],
    ['no documented success', (op: Operation) => delete op.responses['200'], /no documented success/],
    [
      'an error documented as application/json',
      (op: Operation) => (op.responses['403'] = { content: { 'application/json': { example: {} } } }),
      /403 is documented as application\/json/,
    ],
    [
      'a body without an example',
      (op: Operation) => delete (op.responses['200']?.content?.['application/json'] as { example?: unknown } | undefined)?.example,
      /200 application\/json has no example/,
    ],
  ])('fails on %s', async (_label, breakIt, expected) => {
    const document = await fetchDocument();
    breakIt(operation(document, '/api/v1/people', 'get'));
    const problems = await lintOpenApiDocument(document);
    expect(problems.filter((problem) => problem.startsWith('GET /api/v1/people:'))).toEqual([expect.stringMatching(expected)]);
  });

  it('fails through Redocly itself on a missing operationId and on an example the schema refuses', async () => {
    const document = await fetchDocument();
    delete operation(document, '/api/v1/groups', 'get').operationId;
    const media = operation(document, '/api/v1/people/{id}', 'get').responses['200']?.content?.['application/json'] as { example: object };
    media.example = { ...media.example, username: 42 };
    const problems = await lintOpenApiDocument(document);
    expect(problems).toContainEqual(expect.stringMatching(/^operation-operationId: .*groups/));
    expect(problems).toContainEqual(expect.stringMatching(/^no-invalid-media-type-examples: /));
  });
});
