import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Services } from '../domain/context.js';
import { ProblemSchema } from '../shared/api/common.js';
import { installAuditHeadLog } from './plugins/audit-head-log.js';
import { installAuthentication } from './plugins/authentication.js';
import { clientErrorHandler } from './plugins/client-errors.js';
import { installConsole } from './plugins/console.js';
import { installErrorHandler, sendProblem } from './plugins/errors.js';
import { installJsonBodyParser, installOptionalBody, installUrlTextCheck } from './plugins/json-body.js';
import { LoginIpThrottle } from './plugins/login-throttle.js';
import { installMetrics } from './plugins/metrics.js';
import { installOidcProvider } from './plugins/oidc.js';
import { installOpenApi } from './plugins/openapi.js';
import { baselineSecurityHeaders, installSecurityHeaders } from './plugins/security-headers.js';
import { responseSerializerFactory } from './plugins/serialization.js';
import { installValidation } from './plugins/validation.js';
import { applicationRoutes } from './routes/applications/index.js';
import { auditRoutes } from './routes/audit/index.js';
import { authRoutes } from './routes/auth/index.js';
import { authWebAuthnRoutes } from './routes/auth/webauthn.js';
import { authorizeRoutes } from './routes/authorize/index.js';
import { groupProjectsRoutes } from './routes/groups/group-projects.js';
import { groupsRoutes } from './routes/groups/index.js';
import { healthRoutes } from './routes/health.js';
import { identityProviderRoutes } from './routes/identity-providers/index.js';
import { interactionRoutes } from './routes/interaction/index.js';
import { meApplicationRoutes } from './routes/me/applications.js';
import { meIdentityRoutes } from './routes/me/identities.js';
import { meRoutes } from './routes/me/index.js';
import { meMfaRoutes } from './routes/me/mfa.js';
import { meWebAuthnRoutes } from './routes/me/webauthn.js';
import { peopleRoutes } from './routes/people/index.js';
import { projectAccessRoutes } from './routes/projects/access.js';
import { projectRoutes } from './routes/projects/index.js';
import { rolesRoutes } from './routes/roles/index.js';
import { serviceAccountRoutes } from './routes/service-accounts/index.js';
import { settingsRoutes } from './routes/settings/index.js';
import { ssoRoutes } from './routes/sso/index.js';

/** The package root, found from this file whether it runs from src/ (tsx) or dist/server/ (built). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const defaultWebRoot = path.join(packageRoot(), 'dist/web');

export interface AppOptions {
  /** Where the built console lives; defaults to dist/web. */
  webRoot?: string;
  /** Log destination override (tests pass a stream to read what was logged). */
  logStream?: NodeJS.WritableStream;
}

/** Builds the HTTP application. Never listens: `server.ts` does, tests call `app.inject()` (STYLE: Fastify demo). */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Request logs name their fields one by one: no headers (Authorization, Cookie, X-CSRF-Token) and no bodies can
      // reach them. Picking fields is both stricter and cheaper than redacting paths after the fact
      // (docs/product/security-settings.md, docs/product/speed-targets.md#targets).
      serializers: {
        req: (request: { method: string; url: string; host?: string; ip?: string }) => ({
          method: request.method,
          url: request.url,
          host: request.host,
          remoteAddress: request.ip,
        }),
        res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      },
    },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    bodyLimit: 64 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Fastify's own 503 for a request that slips in while closing is written below the hooks, without the security
    // headers; forceCloseConnections drops every connection moments later, so only a request in that gap sees it.
    return503OnClosing: true,
    forceCloseConnections: true,
    clientErrorHandler: clientErrorHandler(config),
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: { compilersFactory: { buildSerializer: responseSerializerFactory() } },
    // Malformed URLs and over-long path parameters are refused by Fastify before any hook: answer them as problems
    // with the usual headers all the same.
    frameworkErrors: (error, _request, reply) => {
      reply.headers({ ...baselineSecurityHeaders(config), 'cache-control': 'no-store' });
      const detail = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long.' : 'The address is not a valid URL.';
      return sendProblem(reply, 'validation_failed', detail);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.removeContentTypeParser('text/plain');
  installJsonBodyParser(app);
  installUrlTextCheck(app);
  installOptionalBody(app);
  installValidation(app);
  installErrorHandler(app, services.database);
  installSecurityHeaders(app, config);
  await app.register(cookie);
  installAuthentication(app, services);
  const registry = installMetrics(app, services);
  installAuditHeadLog(app, services);
  await installOpenApi(app);
  app.addSchema(ProblemSchema);
  // Any API route can answer 400 before its handler runs (a malformed URL, NUL or bidi controls in the query or the
  // path): document it everywhere, so the OpenAPI document lists every status a client may see.
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (route.url.startsWith('/api/v1/') && response && !('400' in response) && !(400 in response)) {
      route.schema = { ...route.schema, response: { ...response, 400: ProblemSchema } };
    }
  });

  const throttle = new LoginIpThrottle(10, 60_000, () => services.now().getTime());
  await app.register(healthRoutes, { services, registry });
  await app.register(authRoutes, { prefix: '/api/v1/auth', services, throttle });
  await app.register(authWebAuthnRoutes, { prefix: '/api/v1/auth', services, throttle });
  await app.register(meRoutes, { prefix: '/api/v1/me', services });
  await app.register(meMfaRoutes, { prefix: '/api/v1/me/mfa', services });
  await app.register(meWebAuthnRoutes, { prefix: '/api/v1/me', services });
  await app.register(meApplicationRoutes, { prefix: '/api/v1/me', services });
  await app.register(meIdentityRoutes, { prefix: '/api/v1/me', services });
  await app.register(peopleRoutes, { prefix: '/api/v1/people', services });
  await app.register(projectRoutes, { prefix: '/api/v1/projects', services });
  await app.register(projectAccessRoutes, { prefix: '/api/v1/projects', services });
  await app.register(rolesRoutes, { prefix: '/api/v1', services });
  await app.register(authorizeRoutes, { prefix: '/api/v1/authorize', services });
  await app.register(groupsRoutes, { prefix: '/api/v1/groups', services });
  await app.register(serviceAccountRoutes, { prefix: '/api/v1/service-accounts', services });
  await app.register(applicationRoutes, { prefix: '/api/v1/applications', services });
  await app.register(identityProviderRoutes, { prefix: '/api/v1/identity-providers', services });
  await app.register(groupProjectsRoutes, { prefix: '/api/v1/groups', services });
  await app.register(auditRoutes, { prefix: '/api/v1/audit', services });
  await app.register(settingsRoutes, { prefix: '/api/v1/settings', services });
  const oidcHost = await installOidcProvider(app, services);
  await app.register(interactionRoutes, { services, host: oidcHost });
  await app.register(ssoRoutes, { services });
  await installConsole(app, options.webRoot ?? defaultWebRoot);
  await app.ready();
  return app;
}
