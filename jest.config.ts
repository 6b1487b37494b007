import type { Config } from 'jest';

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const config: Config = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc as never },
  testMatch: ['<rootDir>/src/**/__tests__/**/*.test.ts?(x)', '<rootDir>/test/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.app/', '<rootDir>/.mailstack/'],
  setupFiles: ['<rootDir>/test/jest/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/jest/setup-database.ts'],
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/jest/global-teardown.ts',
  // NocoBase boots and the mail stack's round trips take seconds, not milliseconds.
  testTimeout: 60_000,
  maxWorkers: 2,
};

export default config;
