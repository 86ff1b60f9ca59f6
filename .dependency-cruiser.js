// Import rules (DESIGN §2): the domain is pure, apps are independent, drivers stay in adapters.
const drivers = '^(better-sqlite3|@eventstore/db-client|mongodb|kafkajs|mingo)$';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'lead-domain imports no Nest, no driver and no other lib',
      severity: 'error',
      from: { path: '^libs/lead-domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(node_modules/(@nestjs|better-sqlite3|@eventstore|mongodb|kafkajs|mingo|fastify)|libs/(?!lead-domain/)|apps/)' },
    },
    {
      name: 'apps-do-not-import-apps',
      comment: 'but seed-demo --simulate builds the real service in-process (its app factory only)',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/lead-cli/src/seed-demo/seed-demo\\.simulation\\.ts$' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'drivers-only-in-adapters',
      comment: 'only adapter files (named after their technology) and tests import a driver',
      severity: 'error',
      from: {
        path: '^(apps|libs)/',
        pathNot: '(sqlite-|esdb-|mongo-|kafka-|embedded-)[a-z-]*\\.ts$|\\.(spec|e2e-spec|int-spec)\\.ts$|/test/',
      },
      to: { dependencyTypesNot: ['type-only'], path: `node_modules/(${drivers.slice(2, -2)})/` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^dist/' },
  },
};
