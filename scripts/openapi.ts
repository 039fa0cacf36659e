// `tsx scripts/openapi.ts lint`: builds the OpenAPI document from the app (no server, a temporary SQLite database)
// and lints it (part of `npm run lint`); exits 1 on any problem. `tsx scripts/openapi.ts write <file>`: writes it.
import fs from 'node:fs';
import { buildOpenApiDocument } from './lib/openapi-document.js';
import { lintOpenApiDocument } from './lib/openapi-lint.js';

const [command, file] = process.argv.slice(2);
const document = await buildOpenApiDocument();
if (command === 'lint') {
  const problems = await lintOpenApiDocument(document);
  for (const problem of problems) console.error(`openapi: ${problem}`);
  if (problems.length > 0) {
    console.error(`openapi: ${problems.length} problem(s) in the OpenAPI document (docs/api-clients.md)`);
    process.exit(1);
  }
  console.log(`openapi: the document is clean (${Object.keys(document.paths).length} paths)`);
} else if (command === 'write' && file) {
  fs.writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
} else {
  console.error('usage: tsx scripts/openapi.ts lint | write <file>');
  process.exit(2);
}
