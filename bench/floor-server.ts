// The floor under `/me` and `/authorize` (bench/README.md#the-floor-what-the-reads-alone-allow): the baseline's bare
// Fastify route (same logger, same constant answer) plus only the database read those routes cannot do without,
// through Roster's own storage layer. GET reads the bearer token's account (the one read of `GET /me`); POST reads it
// in one statement with the project of its JSON body and the grants reaching that account (the one read of
// `POST /authorize` about the caller, docs/decisions/0027). No authentication rules, hooks, metrics or decision: what
// is left between this and the baseline is the read's cost.
// Usage: node --import tsx bench/floor-server.ts <port> <log level>, with ROSTER_DATABASE_URL (and, on PostgreSQL,
// ROSTER_SECRET_KEY) of a database the Roster server has already migrated.
import Fastify from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { sha256Hex } from '../src/domain/auth/secrets.js';
import { openServices } from '../src/runtime.js';
import { preparedTokenSubjectRows, preparedTokenSubjectWithProject } from '../src/storage/queries/access-subjects.js';

const port = Number(process.argv[2] ?? 3998);
const level = process.argv[3] ?? 'info';
const { database } = await openServices(loadConfig(process.env), { migrate: false });
const app = Fastify({ logger: { level } });
const body = { ok: true, name: 'baseline', items: [1, 2, 3] };

function tokenDigest(authorization: string | undefined): string | null {
  const token = authorization?.replace(/^Bearer /, '');
  return token ? sha256Hex(token) : null;
}

app.get('/*', async (request) => {
  const digest = tokenDigest(request.headers.authorization);
  if (digest && (await preparedTokenSubjectRows(database, { digest })).length === 0) throw new Error('no account for this token');
  return body;
});

app.post('/*', async (request) => {
  const digest = tokenDigest(request.headers.authorization);
  const { projectId } = request.body as { projectId?: string };
  if (digest && projectId) {
    const [row] = await preparedTokenSubjectWithProject(database, { digest, projectId });
    if (!row?.project_id) throw new Error('no account for this token, or no such project');
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
