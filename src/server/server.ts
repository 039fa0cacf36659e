import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { publicUrlIsDefault } from '../config/config.js';
import { type CreatedOwner, createOwner } from '../domain/bootstrap/create-owner.js';
import { offlineContext, type Services } from '../domain/context.js';
import { DomainError } from '../domain/errors.js';
import { buildApp } from './app.js';
import { framed, terminalLogStream } from './terminal-log.js';

/**
 * The first Owner, when the instance has no active Owner (an empty database, or one filled by `roster admin seed`).
 * When the configured username or email is already held by someone else, the server starts all the same and says how
 * to make an Owner: it never hands an existing account the Owner role.
 */
async function createFirstOwner(services: Services, print: (line: string) => void): Promise<CreatedOwner | null> {
  const { config } = services;
  try {
    return await createOwner(offlineContext(services, 'system'), {
      username: config.adminUsername,
      email: config.adminEmail,
      onlyIfNoOwner: true,
    });
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'username_taken') throw error;
    print(
      `No Owner exists, and the username "${config.adminUsername}" or the email "${config.adminEmail}" belongs to another account: ` +
        'set ROSTER_ADMIN_USERNAME and ROSTER_ADMIN_EMAIL, or run `roster admin create-owner`.',
    );
    return null;
  }
}

/**
 * Starts serving: creates the first Owner on a database without one, listens, prints the one-time credentials with the
 * URL to open (docs/product/running.md#first-owner), and shuts down gracefully on SIGTERM/SIGINT.
 */
export async function serve(
  services: Services,
  print: (line: string) => void = console.log,
  terminal = process.stdout.isTTY === true,
): Promise<FastifyInstance> {
  const { config } = services;
  const firstOwner = await createFirstOwner(services, print);
  // At a terminal the log is for a person: one-liners, requests only at debug, the credentials framed at the end
  // (docs/product/running.md#logs). Anywhere else it stays JSON, line for line as scripts read it.
  const app = await buildApp(services, terminal ? { logStream: terminalLogStream(config.logLevel) } : {});
  await services.hasher.warmUp();
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  // On a random port (ROSTER_PORT=0) the default public URL learns the real one here, in place: the same-origin check
  // compares browsers' Origin with it on every write.
  if (publicUrlIsDefault() && config.port === 0) config.publicUrl.port = String(address.port);
  const publicUrl = new URL(config.publicUrl);
  // The signal handlers come before the first line a supervisor or test may wait for: a SIGTERM sent the moment
  // "Open:" appears must find them in place (with none, the default action kills the process with no clean close).
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await services.database.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  print(`Roster is listening on ${config.host}:${address.port} (${services.database.name})`);
  // Once: a key file created by this start, a key file others can read, secrets left under an older key.
  for (const notice of services.secrets.notices) print(notice);
  const banner = firstOwner
    ? [
        'First start: an Owner account was created. This password is shown only once.',
        `Owner: ${firstOwner.user.username}`,
        `Temporary password: ${firstOwner.temporaryPassword}`,
        `Open: ${new URL('/login', publicUrl).href}`,
      ]
    : [`Open: ${publicUrl.href}`];
  for (const line of terminal && firstOwner ? framed(banner) : banner) print(line);
  return app;
}
