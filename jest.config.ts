import type { Config } from 'jest';

// swc strips types without checking them (fast on 2 cores); `npm test` runs `tsc --noEmit` first.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testRegex: '\\.(spec|e2e-spec|int-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@lead/domain$': '<rootDir>/libs/lead-domain/src/lead-domain.ts',
    '^@lead/event-store$': '<rootDir>/libs/event-store/src/event-store.ts',
    '^@lead/read-models$': '<rootDir>/libs/read-models/src/read-models.ts',
    '^@lead/messaging$': '<rootDir>/libs/messaging/src/messaging.ts',
    '^@lead/testing$': '<rootDir>/libs/testing/src/testing.ts',
    '^@lead/runtime$': '<rootDir>/libs/runtime/src/runtime.ts',
    '^@lead/automations$': '<rootDir>/libs/automations/src/automations.ts',
  },
  testTimeout: 20_000,
};

export default config;
