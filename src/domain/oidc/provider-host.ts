import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { deleteExpiredOidcPayloads } from '../../storage/queries/oidc-payloads.js';
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
/** How often a node deletes the provider's expired objects (the library ignores them; this keeps the table small). */
const sweepMs = 10 * 60 * 1000;

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
  #sweptAt = 0;

  constructor(services: Services) {
    this.#services = services;
  }

  current(): Promise<LiveProvider> {
    this.#sweepNowAndThen();
    if (this.#live && Date.now() - this.#checkedAt < versionCheckMs) return Promise.resolve(this.#live);
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  /** Deletes expired objects at most every ten minutes, off the request's path; a failure is retried next time. */
  #sweepNowAndThen(): void {
    if (Date.now() - this.#sweptAt < sweepMs) return;
    this.#sweptAt = Date.now();
    deleteExpiredOidcPayloads(this.#services.database.db, this.#services.now().toISOString()).catch(() => {
      this.#sweptAt = 0;
    });
  }

  async #refresh(): Promise<LiveProvider> {
    const live = this.#live;
    if (live && (await providerKeyVersion(this.#services)) === live.version) {
      this.#checkedAt = Date.now();
      return live;
    }
    const keys = await loadProviderKeys(this.#services);
    const provider = await buildProvider(this.#services, keys);
    watchProviderEvents(provider, this.#services);
    const callback = provider.callback();
    this.#live = { provider, version: keys.version, handle: async (req, res) => void (await callback(req, res)) };
    this.#checkedAt = Date.now();
    return this.#live;
  }
}
