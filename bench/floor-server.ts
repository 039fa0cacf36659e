// The floor under `/me` and `/authorize` (bench/README.md#the-floor-what-the-reads-alone-allow): the baseline's bare
// Fastify route (same logger, same constant answer) plus only the database reads those routes cannot do without,
// through Roster's own storage layer. GET reads the bearer token's account (the one read of `GET /me`); POST also reads
// the project of its JSON body with the grants reaching that account (the second read of `POST /authorize`). No
// authentication rules, hooks, metrics or decision: what is left between this and the baseline is the reads' cost.
// Usage: node --import tsx bench/floor-server.ts <port> <log level>, with ROSTER_DATABASE_URL (and, on PostgreSQL,
// ROSTER_SECRET_KEY) of a database the Roster server has already migrated.
import Fastify from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { sha256Hex } from '../src/domain/auth/secrets.js';
import { openServices } from '../src/runtime.js';
import { preparedTokenSubjectRows } from '../src/storage/queries/access-subjects.js';
import { preparedProjectWithGrants } from '../src/storage/queries/project-access.js';

const port = Number(process.argv[2] ?? 3998);
const level = process.argv[3] ?? 'info';
const { database } = await openServices(loadConfig(process.env), { migrate: false });
const app = Fastify({ logger: { level } });
const body = { ok: true, name: 'baseline', items: [1, 2, 3] };

async function tokenAccount(authorization: string | undefined): Promise<string | null> {
  const token = authorization?.replace(/^Bearer /, '');
  if (!token) return null;
  const [account] = await preparedTokenSubjectRows(database, { digest: sha256Hex(token) });
  if (!account) throw new Error('no account for this token');
  return account.id;
}

app.get('/*', async (request) => {
  await tokenAccount(request.headers.authorization);
  return body;
});

app.post('/*', async (request) => {
  const userId = await tokenAccount(request.headers.authorization);
  const { projectId } = request.body as { projectId?: string };
  if (userId && projectId) {
    const [project] = await preparedProjectWithGrants(database, { projectId, userA: userId, userB: userId });
    if (!project) throw new Error('no such project');
  }
  return body;
});

await app.listen({ host: '127.0.0.1', port });
process.once(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => database.destroy())
      .then(() => process.exit(0)),
);
