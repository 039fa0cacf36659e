import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Services } from '../context.js';
import { buildProvider } from './build-provider.js';
import { watchProviderEvents } from './provider-events.js';
import { loadProviderKeys, providerKeyVersion } from './provider-keys.js';

export interface LiveProvider {
  provider: Provider;
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  version: string;
}

/** How often a node asks whether another node rotated the keys (a tiny read). */
const versionCheckMs = 1000;

/**
 * One node's provider, built on first use (keys are created then, so an instance that never uses OpenID Connect
 * never needs a secret key for it) and rebuilt when the key set changes — a rotation on any node reaches every node
 * within a second, without a restart.
 */
export class ProviderHost {
  readonly #services: Services;
  #live: LiveProvider | null = null;
  #checkedAt = 0;
  #pending: Promise<LiveProvider> | null = null;

  constructor(services: Services) {
    this.#services = services;
  }

  current(): Promise<LiveProvider> {
    if (this.#live && Date.now() - this.#checkedAt < versionCheckMs) return Promise.resolve(this.#live);
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #refresh(): Promise<LiveProvider> {
    const live = this.#live;
    if (live && (await providerKeyVersion(this.#services)) === live.version) {
      this.#checkedAt = Date.now();
      return live;
    }
    const keys = await loadProviderKeys(this.#services);
    const provider = buildProvider(this.#services, keys);
    watchProviderEvents(provider, this.#services);
    const callback = provider.callback();
    this.#live = { provider, version: keys.version, handle: async (req, res) => void (await callback(req, res)) };
    this.#checkedAt = Date.now();
    return this.#live;
  }
}
