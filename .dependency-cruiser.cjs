// The dependency rule of ARCHITECTURE.md, checked by `npm run lint` (dependency-cruiser). Type-only imports count too:
// a layer that names another's types depends on it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-only-shared',
      comment: 'src/shared is the only server code the console may import: it depends on nothing else of Roster.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src|web|tests|bench|scripts)/', pathNot: '^src/shared/' },
    },
    {
      name: 'web-imports-only-shared',
      comment: 'The console talks to the server over HTTP; of the server code it imports src/shared only.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^(src|tests|bench|scripts)/', pathNot: '^src/shared/' },
    },
    {
      name: 'storage-not-above',
      comment: 'storage knows tables, not rules or HTTP: it imports shared and config only.',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(domain|server|cli|runtime\\.ts|main\\.ts)' },
    },
    {
      name: 'domain-not-server-or-cli',
      comment: 'domain never sees Fastify or the command line.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(server|cli|main\\.ts)' },
    },
    {
      name: 'domain-counts-without-prom-client',
      comment:
        'The domain reports what /metrics counts through SecurityCounters (src/domain/operations/security-counters.ts); ' +
        'only src/server/plugins/metrics.ts knows Prometheus.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: 'node_modules/prom-client/' },
    },
    {
      name: 'server-not-storage',
      comment: 'Routes and plugins call domain operations; the queries, migrations and dialects stay behind them.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'nothing-imports-server-or-cli',
      comment: 'Only src/main.ts starts the CLI, and the CLI starts the server; tests may import both.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(server|cli|main\\.ts)' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'server-not-cli',
      comment: 'The server does not know the command line.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-not-tests-or-bench',
      comment: 'Shipped code never imports tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^(src|web)/' },
      to: { path: '^(tests|bench|scripts)/' },
    },
    {
      name: 'bench-not-tests',
      comment: 'The benchmarks run on their own: what they share with the browser tests lives outside tests/.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stay in as leaves (doNotFollow), so that rules about packages (prom-client) can see them.
    exclude: { path: '(^|/)(dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
