import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/context.js';
import { ProviderHost } from '../../domain/oidc/provider-host.js';
import { oidcRequestScope } from '../../domain/oidc/request-scope.js';
import { sessionDigest } from '../../domain/sessions/session-tokens.js';
import { sessionCookieName } from './authentication.js';
import { requestContext } from './context.js';
import { baselineSecurityHeaders } from './security-headers.js';

/**
 * The provider's responses carry the same headers as every other route, except `form-action`: the logout question's
 * form ends in a redirect to the application's post-logout URI, which a same-origin `form-action` would stop.
 */
function providerHeaders(services: Services): Record<string, string> {
  const headers: Record<string, string> = { ...baselineSecurityHeaders(services.config), 'cache-control': 'no-store' };
  headers['content-security-policy'] = (headers['content-security-policy'] ?? '')
    .split(';')
    .filter((directive) => !directive.startsWith('form-action'))
    .join(';');
  return headers;
}

/**
 * Mounts Roster's OpenID Connect provider (docs/oidc.md): every request under `/oidc/` and the discovery document at
 * `/.well-known/openid-configuration` go to the `oidc-provider` library untouched (it reads its own form bodies and
 * answers RFC 6749 errors, not problem+json), after the security headers are set; Fastify logs the request and its
 * completion as for any other route (a hijacked reply included). The provider is built on first use (provider-host.ts).
 */
export async function installOidcProvider(app: FastifyInstance, services: Services): Promise<ProviderHost> {
  const host = new ProviderHost(services);
  const headers = providerHeaders(services);
  const cookieName = sessionCookieName(services);
  const { publicUrl } = services.config;

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const live = await host.current();
    reply.hijack();
    const res = reply.raw;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // The library builds its URLs from the request; ROSTER_PUBLIC_URL is the truth here as everywhere (never `Host`).
    request.raw.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
    request.raw.headers['x-forwarded-host'] = publicUrl.host;
    request.raw.headers['x-forwarded-for'] = request.ip;
    const rawSession = request.cookies[cookieName];
    const scope = {
      rosterSessionDigest: rawSession ? sessionDigest(rawSession) : null,
      request: requestContext(request, services).request,
    };
    await oidcRequestScope.run(scope, () => live.handle(request.raw, res));
  };

  await app.register(async (scope) => {
    // Leave bodies unread: the library parses its own (form-encoded and JSON).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const config = { auth: 'none' as const };
    scope.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/oidc/*', handler, config, schema: { hide: true } });
    scope.route({ method: ['GET', 'OPTIONS'], url: '/.well-known/openid-configuration', handler, config, schema: { hide: true } });
  });
  return host;
}
