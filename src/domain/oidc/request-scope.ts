import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the provider library's storage needs to know about the HTTP request it serves, which the library does not pass
 * to its adapter: the Roster console session the browser holds (a provider session opened in it is tied to it, so
 * logging out of Roster ends it) and the request's address for the audit log.
 */
export interface OidcRequestScope {
  rosterSessionDigest: string | null;
}

export const oidcRequestScope = new AsyncLocalStorage<OidcRequestScope>();
