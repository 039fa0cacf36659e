import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './errors.js';

/**
 * Serves the built console (`dist/web`) and answers unknown non-API GETs with its index.html so that bookmarked
 * console addresses work; unknown API paths get a problem+json 404.
 */
export async function installConsole(app: FastifyInstance, webRoot: string): Promise<void> {
  const index = path.join(webRoot, 'index.html');
  const hasConsole = fs.existsSync(index);
  if (hasConsole) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false, cacheControl: false });
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url.startsWith('/assets/') && reply.statusCode === 200)
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      return payload;
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/api';
    if (!isApi && hasConsole && (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/assets/')) {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/html; charset=utf-8').send(fs.createReadStream(index));
    }
    if (!isApi && !hasConsole && request.method === 'GET') {
      return sendProblem(reply, 'not_found', 'The console is not built. Run `npm run build` (or `npm start`, which builds it).');
    }
    return sendProblem(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
  });
}
