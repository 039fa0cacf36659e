// The benchmark's yardstick (docs/product/speed-targets.md#how-the-bench-measures): a bare Fastify route returning
// constant JSON, in its own process, with the same logger level as the Roster server under test. Usage: node --import
// tsx bench/baseline-server.ts <port> <log level>
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 3999);
const level = process.argv[3] ?? 'info';
const app = Fastify({ logger: { level } });
const body = { ok: true, name: 'baseline', items: [1, 2, 3] };

app.get('/*', async () => body);
app.post('/*', async () => body);

await app.listen({ host: '127.0.0.1', port });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
