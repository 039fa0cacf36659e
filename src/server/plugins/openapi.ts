import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendProblem } from './errors.js';
import { generatorReady, optionalBodyMark } from './openapi-document.js';

/** The OpenAPI 3.1 document, generated from the route schemas, at /api/v1/openapi.json and browsable at /api/docs. */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Roster API',
        version: '1',
        description: 'People, roles, projects, groups, audit log and authorization decisions. Errors are application/problem+json.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (rst_…) or service-account token (rss_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'roster_session' },
          oidc: {
            type: 'openIdConnect',
            openIdConnectUrl: '/.well-known/openid-configuration',
            description:
              "An access token of Roster's OpenID Connect provider, accepted only by the routes that list this scheme: a person's token with the scope roster:api (about that person only), an application's client-credentials token with roster:authorize (POST /authorize, naming the person).",
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // A route whose body may be left out (`optionalBody`) says so: generatorReady turns the mark into
    // `requestBody.required: false`, which @fastify/swagger would otherwise always write as true.
    transform: ({ schema, url, route }) => ({
      schema: route.config?.optionalBody && schema ? { ...schema, [optionalBodyMark]: true } : schema,
      url,
    }),
    transformObject: (documentObject) =>
      'openapiObject' in documentObject
        ? generatorReady(documentObject.openapiObject as Record<string, unknown>)
        : documentObject.swaggerObject,
  });
  app.get('/api/v1/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    // The UI's files are served by @fastify/static, which refuses a path that climbs out of its folder
    // (`/api/docs/static/../x`) with a 403 error rather than a reply. Such a client error is a plain 404 here, not a
    // logged 500 with a stack trace; anything else goes on to the app's error handler.
    docs.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return sendProblem(reply, 'not_found', 'There is no such file.');
      }
      throw error;
    });
    await docs.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP:
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      uiConfig: { docExpansion: 'list' },
    });
  });
}
