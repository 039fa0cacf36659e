import { runCli } from './cli/main.js';

// Entry point: `roster [command]`; with no command it serves (config → database → migrate → server).
// `serve` stays alive through its listening socket; every other command ends once its database is closed.
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exit(code);
