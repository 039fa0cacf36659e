import { createRosterClient, type RosterClient } from './api-client.js';
import { clientConfigPath, readClientConfig, selectContext } from './config-store.js';

/** A client for the selected context (`--context <name>` or the current one) of the stored configuration. */
export function openClient(requestedContext: string | undefined): RosterClient {
  const { name, context } = selectContext(readClientConfig(clientConfigPath()), requestedContext);
  return createRosterClient(context.url, context.token, name);
}
