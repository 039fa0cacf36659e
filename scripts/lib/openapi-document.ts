// The OpenAPI document as the server builds it, without a running server: the app on a temporary SQLite database
// (`npm run lint` lints it, `npm run openapi:types` generates the clients' types from it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { openServices } from '../../src/runtime.js';
import { buildApp } from '../../src/server/app.js';

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-openapi-'));
  const config = loadConfig({ ROSTER_DATABASE_URL: `sqlite:${path.join(dir, 'roster.db')}`, ROSTER_LOG_LEVEL: 'silent' }, dir);
  const services = await openServices(config);
  try {
    const app = await buildApp(services, { webRoot: dir });
    try {
      const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      return response.json() as OpenApiDocument;
    } finally {
      await app.close();
    }
  } finally {
    await services.database.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
