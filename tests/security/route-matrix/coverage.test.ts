import fs from 'node:fs';
import { expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { useTestApp } from '../../support/test-app.js';
import { actorKinds, documentedRoutes, fetchOpenApi, minimalWebRoot } from '../support/actors.js';
import { registeredRoutes } from '../support/route-collector.js';
import { delegationSource, expectedStatus, routeMatrix } from './table.js';

// Sees every route the app registers, documented or not (health, metrics, docs UI, console files).
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  const { withRouteCollector } = await import('../support/route-collector.js');
  return { ...original, default: withRouteCollector(original.default) };
});

/**
 * The OpenID Connect provider library's own endpoints (docs/oidc.md): they authenticate client applications, not
 * Roster's callers, answer RFC 6749 errors instead of problems, and are tested in tests/api/oidc/ and
 * tests/multinode/oidc.test.ts. Nothing else may hide here.
 */
const providerLibraryRoute = (route: string) => /^(GET|HEAD|POST|OPTIONS) (\/oidc\/\*|\/\.well-known\/openid-configuration)$/.test(route);

/** The table in ./table.ts covers the server: every route has a row, every row is a route, every status is documented. */
describeEachDatabase('security: every route has a row in the authorization matrix', (dialect) => {
  const t = useTestApp(dialect, { webRoot: minimalWebRoot() });

  it('has a row for every registered and every documented route, and every row is a route', async () => {
    const documented = documentedRoutes(await fetchOpenApi(t()));
    const registered = [...registeredRoutes];
    expect(registered.length, 'the onRoute collector saw no route: is vi.mock("fastify") applied?').toBeGreaterThan(40);
    // Every documented operation is a registered route (the document does not describe routes that do not exist).
    expect(documented.filter((route) => !registeredRoutes.has(route))).toEqual([]);

    const keyOf = (route: string) => (route.startsWith('HEAD ') ? route.replace(/^HEAD/, 'GET') : route);
    const missing = [...new Set([...registered, ...documented])]
      .filter((route) => !(keyOf(route) in routeMatrix) && !providerLibraryRoute(route))
      .sort();
    expect(missing, `routes without a row: ${missing.join(', ')}`).toEqual([]);
    // Every GET route answers HEAD too (the HEAD cells above rely on it), and every row is a real route.
    for (const route of Object.keys(routeMatrix)) {
      expect(registeredRoutes.has(route), `${route} is not a registered route`).toBe(true);
      if (route.startsWith('GET ')) expect(registeredRoutes.has(route.replace(/^GET/, 'HEAD')), `HEAD for ${route}`).toBe(true);
    }
  });

  it('documents, in the OpenAPI document, every status this table expects of a documented route', async () => {
    const doc = await fetchOpenApi(t());
    const undocumented: string[] = [];
    for (const [route, row] of Object.entries(routeMatrix)) {
      const [method, url] = route.split(' ') as [string, string];
      const operation = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!operation) continue; // not documented on purpose (health, metrics, docs UI, console files)
      for (const actor of actorKinds) {
        const status = expectedStatus(row, actor);
        if (!(String(status) in (operation.responses ?? {}))) undocumented.push(`${route} → ${status} (as ${actor})`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('keeps the delegated rows in tests/api/authorization-matrix.test.ts, and every public route outside /api/v1 is listed here', () => {
    const source = fs.readFileSync(delegationSource, 'utf8');
    const delegatedThere = new Set([...source.matchAll(/^\s*'((?:GET|POST|PUT|PATCH|DELETE) \/api\/v1\/[^']+)':/gm)].map((m) => m[1]));
    const delegatedHere = Object.entries(routeMatrix)
      .filter(([, row]) => row.delegated)
      .map(([route]) => route);
    expect(delegatedHere.length).toBeGreaterThan(0);
    expect(delegatedHere.filter((route) => !delegatedThere.has(route))).toEqual([]);
    // Everything outside /api/v1 must be public on purpose; everything under /api/v1 but openapi.json and
    // login-methods (what the login page offers, asked before anyone logs in) must not be, nor the provider's sign-in steps.
    for (const [route, row] of Object.entries(routeMatrix)) {
      const url = route.slice(route.indexOf(' ') + 1);
      // The provider's sign-in steps (/interaction/…) are console addresses that need the console session.
      const expectedPublic =
        (!url.startsWith('/api/v1/') && !url.startsWith('/interaction/')) ||
        url === '/api/v1/openapi.json' ||
        url === '/api/v1/auth/login-methods';
      expect(Boolean(row.public), `${route}: public?`).toBe(expectedPublic);
    }
  });
});
