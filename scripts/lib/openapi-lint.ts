// The lint of the OpenAPI document (`npm run lint`, tests/api/openapi-document.test.ts): Redocly's recommended rules
// with every warning made an error, plus the house rules a client generator depends on.
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { OpenApiDocument } from './openapi-document.js';

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const camelCaseVerbNoun = /^[a-z]+[A-Z][A-Za-z0-9]*$/;

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { example?: unknown; examples?: unknown }> }>;
}

/** Every problem of the document, one line each (`GET /api/v1/people: …`); empty when it is clean. */
export async function lintOpenApiDocument(document: OpenApiDocument): Promise<string[]> {
  const config = await createConfig({ extends: ['recommended-strict'] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  const lines = problems
    .filter((problem) => problem.severity === 'error')
    .map((problem) => `${problem.ruleId}: ${problem.message} (${problem.location[0]?.pointer ?? ''})`);
  return [...lines, ...houseRules(document)];
}

/**
 * What Redocly does not check: a camelCase verb+noun operationId, a summary, a description (who may call it, what it
 * changes, notable errors, what it answers: more than the summary again) and tags on every operation, at least one
 * documented success, errors as application/problem+json, and an example for every documented body.
 */
function houseRules(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  const definedTags = new Set(((document.tags as Array<{ name: string }> | undefined) ?? []).map((tag) => tag.name));
  for (const [url, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!methods.includes(method)) continue;
      const operation = value as Operation;
      const where = `${method.toUpperCase()} ${url}`;
      if (!operation.operationId) problems.push(`${where}: no operationId`);
      else if (!camelCaseVerbNoun.test(operation.operationId))
        problems.push(`${where}: operationId "${operation.operationId}" is not camelCase verb+noun (e.g. listPeople)`);
      if (!operation.summary?.trim()) problems.push(`${where}: no summary`);
      if (!operation.description?.trim() || operation.description.trim() === operation.summary?.trim())
        problems.push(`${where}: no description beyond the summary`);
      if (!operation.tags?.length) problems.push(`${where}: no tags`);
      for (const tag of operation.tags ?? [])
        if (!definedTags.has(tag)) problems.push(`${where}: tag "${tag}" is not in the document's tags`);
      const responses = Object.entries(operation.responses ?? {});
      if (!responses.some(([status]) => status.startsWith('2') || status.startsWith('3')))
        problems.push(`${where}: no documented success response`);
      for (const [status, response] of responses) {
        const content = response.content ?? {};
        const media = Object.keys(content);
        if (Number(status) >= 400 && url.startsWith('/api/') && media.join() !== 'application/problem+json')
          problems.push(`${where}: ${status} is documented as ${media.join(', ') || 'no body'}, not application/problem+json`);
        for (const [type, body] of Object.entries(content))
          if (body.example === undefined && body.examples === undefined) problems.push(`${where}: ${status} ${type} has no example`);
      }
    }
  }
  return problems;
}
