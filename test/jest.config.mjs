const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@floorboard/shared$': '<rootDir>/../shared/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
};

/** Suites here run the built apps (`npm run build` first) as real processes. */
export default {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/integration/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.spec.ts'] },
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/faults/**/*.spec.ts'] },
  ],
};
