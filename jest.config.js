/** One config, one project per tier. The folder decides the tier. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
// uuid 13 (pulled in by @databricks/sql's thrift) and jose 6 (jwks-rsa's, under @microsoft/agents-hosting)
// ship ESM only; jest cannot require them untransformed.
const transformIgnorePatterns = ['^(?!.*/(uuid/dist-node|jose/dist/webapi)/).*/node_modules/'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 30000,
  // The emulators started by the global setup live in jest's own process; their sockets and PGlite
  // must not keep a finished run (and CI) waiting.
  forceExit: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
    },
  ],
};
