import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The compiled `src/main.ts` that CLI, durability, multi-node and browser suites run as `node <entry> …`. */
    rosterEntry: string;
    /** A V8 compile cache directory for those processes (NODE_COMPILE_CACHE). */
    rosterCompileCache: string;
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Packages left out of the bundle, loaded from node_modules as usual: native addons, and packages that find files of
 * their own next to their code (`__dirname`: Swagger's package.json, Swagger UI's assets), which a bundle would move.
 */
const external = ['better-sqlite3', '@node-rs/argon2', 'pg-native', '@fastify/swagger', '@fastify/swagger-ui'];

/**
 * Compiles src/ once per run into ONE file, with the project's tsconfig (`isolatedModules` and `verbatimModuleSyntax`
 * make esbuild's per-file transpile exact), so that the few hundred `roster` processes a run starts (CLI, durability,
 * multi-node and browser suites) pay Node's start-up only: not a TypeScript loader compiling the server again in every
 * process, nor resolving and reading ~1,000 module files one by one, which cost more than half of each process's CPU
 * (docs/decisions/0022-test-run-speed.md). The output lives under node_modules/.cache so that the compiled file finds
 * the package's node_modules and package.json (dist/web, version) exactly as from src/. Type errors are
 * `npm run typecheck`'s job.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cacheDir = path.join(repoRoot, 'node_modules/.cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const outDir = fs.mkdtempSync(path.join(cacheDir, 'roster-tests-'));
  await build({
    entryPoints: [path.join(repoRoot, 'src/main.ts')],
    outdir: outDir,
    // `.mjs`: Node finds no package.json above node_modules/.cache, would try the file as CommonJS first and read and
    // parse all of it twice. Split: what the CLI imports only when a server-side command runs (src/cli/commands) lands
    // in chunks of its own, which a client command or `--help` never reads.
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    tsconfig: path.join(repoRoot, 'tsconfig.json'),
    external,
    // CommonJS packages inside an ES module bundle still call `require` for Node's own modules.
    banner: {
      js: "import { createRequire as rosterCreateRequire } from 'node:module'; const require = rosterCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  const entry = path.join(outDir, 'main.mjs');
  project.provide('rosterEntry', entry);
  project.provide('rosterCompileCache', path.join(outDir, '.compile-cache'));
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
