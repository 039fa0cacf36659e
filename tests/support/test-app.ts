import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { type Config, loadConfig } from '../../src/config/config.js';
import { type OperationContext, offlineRequest, type Services } from '../../src/domain/context.js';
import { openServices } from '../../src/runtime.js';
import { buildApp } from '../../src/server/app.js';
import { TestClock } from './clock.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';
import { buildOwner, type TestUser } from './factories.js';

export interface TestApp {
  dialect: TestDialect;
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  /** Everything the server logged, for "secrets never reach logs" checks. */
  logs: string[];
  /** An Owner with a permanent password, created at start. */
  owner: TestUser;
  /** A CLI-actor context, for calling domain operations directly in setup. */
  cliContext(): OperationContext;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Extra configuration applied after the environment is read. */
  config?: Partial<Config>;
  /** A folder with a built console to serve (defaults to dist/web, which may not exist in a fresh checkout). */
  webRoot?: string;
}

/** Builds a real app on a fresh real database (no mocks), with a movable clock and captured logs. */
export async function createTestApp(dialect: TestDialect, options: TestAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase(dialect, { migrated: true });
  const clock = new TestClock();
  const config: Config = {
    ...loadConfig({ ROSTER_LOG_LEVEL: 'info', ROSTER_PORT: '0', ...options.env }),
    database: database.config,
    ...options.config,
  };
  const services = await openServices(config, { now: clock.now });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(services, { logStream, ...(options.webRoot ? { webRoot: options.webRoot } : {}) });
  const cliContext = (): OperationContext => ({ ...services, caller: { kind: 'cli' }, request: offlineRequest('cli') });
  const owner = await buildOwner({ services, cliContext } as TestApp, { username: 'owner' });
  return {
    dialect,
    app,
    services,
    clock,
    logs,
    owner,
    cliContext,
    async close() {
      await app.close();
      await services.database.destroy();
      await database.drop();
    },
  };
}

/** Registers beforeAll/afterAll for a test app and returns a getter for it. */
export function useTestApp(dialect: TestDialect, options: TestAppOptions = {}): () => TestApp {
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    testApp = await createTestApp(dialect, options);
  }, 60_000);
  afterAll(async () => {
    await testApp?.close();
  }, 60_000);
  return () => {
    if (!testApp) throw new Error('test app not started');
    return testApp;
  };
}

/** Collects a stream of log lines into one string (for secret-leak assertions). */
export function allLogs(testApp: TestApp): string {
  return testApp.logs.join('');
}
