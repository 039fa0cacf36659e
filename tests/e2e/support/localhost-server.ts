import { createServer } from 'node:net';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { ensureConsoleBuilt } from './console-build.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/** A port nobody listens on right now (the OS picks it; the server takes it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Like useBrowserAndServer, but the server's public URL is `http://localhost:<port>`: a domain name, so WebAuthn is
 * offered (docs/product/security-settings.md#security-keys-and-passkeys), and a secure context for Chromium on plain
 * http. `env` adds settings.
 */
export function useBrowserAndLocalhostServer(env: Record<string, string> = {}): () => { server: ServerProcess; browser: Browser } {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureConsoleBuilt();
    const port = await freePort();
    server = await startServerProcess({
      env: { ROSTER_PORT: String(port), ROSTER_PUBLIC_URL: `http://localhost:${port}`, ...env },
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);
  return () => {
    if (!server || !browser) throw new Error('the server or the browser did not start');
    return { server, browser };
  };
}

export interface VirtualAuthenticator {
  cdp: CDPSession;
  id: string;
  /** The credentials it holds (resident or not). */
  credentials(): Promise<{ credentialId: string; isResidentCredential: boolean; signCount: number }[]>;
}

/**
 * Attaches Chromium's virtual authenticator (DevTools protocol `WebAuthn.*`) to the page: `passkey` is a platform
 * authenticator with resident keys and user verification (a phone or laptop), `security-key` a USB key without them.
 */
export async function addVirtualAuthenticator(page: Page, kind: 'passkey' | 'security-key'): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const passkey = kind === 'passkey';
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: passkey ? 'internal' : 'usb',
      hasResidentKey: passkey,
      hasUserVerification: passkey,
      isUserVerified: passkey,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    id: authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
  };
}
