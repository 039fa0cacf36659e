import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The compiled `src/main.ts` that CLI, durability and multi-node suites run as `node <entry> …`. */
    rosterEntry: string;
    /** A V8 compile cache directory for those processes (NODE_COMPILE_CACHE). */
    rosterCompileCache: string;
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/**
 * Compiles src/ once per run, file by file, with the project's own compiler options (`isolatedModules` and
 * `verbatimModuleSyntax` make a per-file transpile exact), so that suites spawning `roster` pay Node's start-up only,
 * not a TypeScript loader compiling the whole server again in every process. The output lives under
 * node_modules/.cache so the compiled files find the package's node_modules and package.json (dist/web, version)
 * exactly as from src/. Type errors are `npm run typecheck`'s job.
 */
export default function setup(project: TestProject): () => void {
  const cacheDir = path.join(repoRoot, 'node_modules/.cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const outDir = fs.mkdtempSync(path.join(cacheDir, 'roster-tests-'));
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  // ES modules as package.json says ("type": "module"): a lone file cannot tell NodeNext which format it is.
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    sourceMap: false,
    declaration: false,
    noEmit: false,
  };
  const srcRoot = path.join(repoRoot, 'src');
  for (const file of sourceFiles(srcRoot)) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
    const target = path.join(outDir, path.relative(srcRoot, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  project.provide('rosterEntry', path.join(outDir, 'main.js'));
  project.provide('rosterCompileCache', path.join(outDir, '.compile-cache'));
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
