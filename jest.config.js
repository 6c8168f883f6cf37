// Jest runs TypeScript through SWC (decorators + metadata on) and lets the ES-module
// packages of NestJS 12 / Apollo 5 through the transform so they load as CommonJS.
const swc = [
  '@swc/jest',
  {
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  },
];
const esmPackages = [
  '@nestjs',
  '@apollo',
  '@as-integrations',
  'bad-words',
  'badwords-list',
  'opencc-js',
  'entities',
  're2js',
  'graphql-ws',
  '@escape.tech',
  '@envelop',
  '@whatwg-node',
  'superjson',
  'copy-anything',
  'is-what',
];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  setupFiles: ['<rootDir>/test/utils/check-sql-shapes.ts'],
};

// On two cores Jest runs every file of `npm test` in one process, one after another; what
// each file's app and module registry leave behind adds up to Node's default 4 GB heap, where
// garbage collection then takes most of the time (a 5-second load test once took 10 s per
// request). `npm test` therefore starts Jest with an 8 GB heap (--max-old-space-size).
/** @type {import('jest').Config} */
module.exports = {
  // Integration and e2e tests hash passwords and start servers on a 2-core machine that may be
  // busy with other work: the limit only catches hangs (tests wait for events, not for time).
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
        '<rootDir>/test/utils/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/console/'],
    },
    // The console in headless Chromium. `npm test` runs it in a Jest process of its own:
    // playwright-core keeps each test file's module registry alive (about 120 MB per file),
    // which would otherwise stay in the one process that runs every other suite.
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/e2e/console/**/*.e2e-spec.ts'],
    },
  ],
};
