import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Every route any app built in this test process registered, as `METHOD /path` (Fastify's `:param` syntax, HEAD
 * included). Filled by an `onRoute` hook that `withRouteCollector` adds to each new Fastify instance before the
 * application registers anything, so routes outside the OpenAPI document (health, metrics, docs UI, console files) are
 * seen too.
 */
export const registeredRoutes = new Set<string>();

function normalise(url: string): string {
  return url.length > 1 ? url.replace(/\/+$/, '') : url;
}

/** Wraps the `fastify` factory: `vi.mock('fastify', …)` replaces the default export with the result. */
export function withRouteCollector<F extends (...args: never[]) => FastifyInstance>(factory: F): F {
  const wrapped = (...args: Parameters<F>) => {
    const app = factory(...args);
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) registeredRoutes.add(`${String(method).toUpperCase()} ${normalise(route.url)}`);
    });
    return app;
  };
  return Object.assign(wrapped, factory) as unknown as F;
}
