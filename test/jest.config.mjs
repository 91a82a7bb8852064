import { esmTypeScript } from '../jest.preset.mjs';

const common = esmTypeScript({ tsconfig: '<rootDir>/tsconfig.json' });

/** Suites here run the built apps (`npm run build` first) as real processes. */
export default {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/integration/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.spec.ts'] },
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/faults/**/*.spec.ts'] },
  ],
};
