import { ensureConsoleBuilt } from './console-build.js';

/** Runs once in Vitest's main process: builds the console before any browser suite starts a server. */
export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
