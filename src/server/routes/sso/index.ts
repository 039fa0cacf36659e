import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { pendingLoginMinutes } from '../../../domain/auth/pending-login.js';
import type { Services } from '../../../domain/context.js';
import { finishSso, SsoCallbackRefusal } from '../../../domain/sso/finish-sso.js';
import { SsoRefusal } from '../../../domain/sso/sso-refusal.js';
import { ssoStateMinutes, startSsoLogin } from '../../../domain/sso/start-sso.js';
import { pendingLoginCookieName, sessionCookieName, sessionCookieOptions } from '../../plugins/authentication.js';
import { requestContext } from '../../plugins/context.js';

/** The cookie that carries an authorization request's handle from `/start` to `/callback` (and nothing else). */
export const ssoCookieName = 'roster_sso';

/** Its attributes: only sent to `/auth/sso/…`; Lax, so that the provider's redirect back (a top-level GET) carries it. */
export function ssoCookieOptions(services: Services) {
  return { path: '/auth/sso', httpOnly: true, sameSite: 'lax' as const, secure: services.config.publicUrl.protocol === 'https:' };
}

/** A console path (already checked by `safeReturnTo`) with one query parameter set, its other parameters and hash kept. */
function withParameter(path: string, name: string, value: string, services: Services): string {
  const url = new URL(path, services.config.publicUrl);
  url.searchParams.delete('reauthenticated');
  url.searchParams.delete('sso_error');
  url.searchParams.set(name, value);
  return `${url.pathname}${url.search}${url.hash}`;
}

const ProviderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const StartQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) });

/**
 * `/auth/sso/:id/start` and `/auth/sso/:id/callback` (SPEC §12.2, docs/sso.md#logging-in): console addresses, outside
 * `/api/v1` and its document, that the browser navigates to. They answer only redirects: to the provider, back to the
 * console, or to `/login?sso_error=<code>` (`/profile?sso_error=<code>` for a link; the asking page with
 * `?reauthenticated=1` or `?sso_error=<code>` for a re-authentication). Usable by anyone, a restricted
 * session included (a login replaces it).
 */
export const ssoRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const config = { auth: 'optional' as const, allowRestricted: true, allowMfaSetup: true };
  const redirect = (reply: FastifyReply, location: string) => reply.header('cache-control', 'no-store').redirect(location, 302);
  const refused = (reply: FastifyReply, page: '/login' | '/profile', code: string) =>
    redirect(reply, `${page}?sso_error=${encodeURIComponent(code)}`);

  app.get(
    '/auth/sso/:id/start',
    { schema: { params: ProviderParams, querystring: StartQuery, hide: true }, config },
    async (request, reply) => {
      try {
        const start = await startSsoLogin(requestContext(request, services), request.params.id, request.query.returnTo);
        reply.setCookie(ssoCookieName, start.handle, { ...ssoCookieOptions(services), maxAge: ssoStateMinutes * 60 });
        return redirect(reply, start.redirectUrl);
      } catch (error) {
        if (!(error instanceof SsoRefusal)) throw error;
        request.log.warn({ identityProviderId: request.params.id, reason: error.reason }, 'SSO login could not start');
        return refused(reply, '/login', error.code);
      }
    },
  );

  app.get('/auth/sso/:id/callback', { schema: { params: ProviderParams, hide: true }, config }, async (request, reply) => {
    const handle = request.cookies[ssoCookieName];
    // The handle is good for one callback, whatever happens.
    void reply.clearCookie(ssoCookieName, { path: '/auth/sso' });
    try {
      const outcome = await finishSso(requestContext(request, services), request.params.id, {
        handle: handle && handle.length <= 100 ? handle : undefined,
        currentUrl: new URL(request.url, services.config.publicUrl),
        sessionDigest: request.auth?.session?.digest ?? null,
      });
      if (outcome.kind === 'linked') return redirect(reply, `/profile?sso_linked=${encodeURIComponent(outcome.label)}`);
      if (outcome.kind === 'reauthenticated') return redirect(reply, withParameter(outcome.returnTo, 'reauthenticated', '1', services));
      if (outcome.kind === 'second_factor') {
        reply.setCookie(pendingLoginCookieName(services), outcome.pendingLogin.rawId, {
          ...sessionCookieOptions(services),
          sameSite: 'strict',
          maxAge: pendingLoginMinutes * 60,
        });
        return redirect(reply, `/login?step=second-factor&returnTo=${encodeURIComponent(outcome.returnTo)}`);
      }
      void reply.clearCookie(pendingLoginCookieName(services), { path: '/' });
      reply.setCookie(sessionCookieName(services), outcome.session.rawId, sessionCookieOptions(services));
      return redirect(reply, outcome.returnTo);
    } catch (error) {
      if (!(error instanceof SsoCallbackRefusal)) throw error;
      if (error.purpose === 'reauth') {
        return redirect(reply, withParameter(error.returnTo ?? '/profile', 'sso_error', error.refusal.code, services));
      }
      return refused(reply, error.purpose === 'link' ? '/profile' : '/login', error.refusal.code);
    }
  });
};
