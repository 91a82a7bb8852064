/**
 * The one jest setup of the monorepo: native ESM (Nest 12 is ESM-only), ts-jest in transpile-only mode,
 * `.js` import suffixes mapped to the sources, and `@floorboard/shared` to its sources so no build is needed.
 * Each workspace's jest.config.mjs adds its own test paths.
 */
export function esmTypeScript({ tsconfig = '<rootDir>/tsconfig.test.json' } = {}) {
  return {
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: {
      '^@floorboard/shared$': '<rootDir>/../shared/src/index.ts',
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig }] },
  };
}
