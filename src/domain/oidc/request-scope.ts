import { AsyncLocalStorage } from 'node:async_hooks';
import { findApplicationByClientId } from '../../storage/queries/applications.js';
import { type Caller, type OperationContext, offlineRequest, type RequestInfo, type Services } from '../context.js';

/**
 * What the provider library's storage and event handlers need to know about the HTTP request being served, which the
 * library does not pass them: the Roster console session the browser holds (a provider session opened in it is tied
 * to it, so logging out of Roster ends it) and where the request came from (for the audit log).
 */
export interface OidcRequestScope {
  rosterSessionDigest: string | null;
  request: RequestInfo;
}

export const oidcRequestScope = new AsyncLocalStorage<OidcRequestScope>();

/** An operation context for something the provider did while serving the current request. */
export function providerContext(services: Services, caller: Caller): OperationContext {
  return { ...services, caller, request: oidcRequestScope.getStore()?.request ?? offlineRequest('api') };
}

/** The application behind a client id as an audit actor (or the system, when it is gone). */
export async function applicationCaller(services: Services, clientId: string | undefined): Promise<Caller> {
  const application = clientId ? await findApplicationByClientId(services.database, clientId) : undefined;
  return application
    ? { kind: 'application', applicationId: application.id, clientId: application.client_id, name: application.name }
    : { kind: 'system' };
}
