import { esmTypeScript } from '../jest.preset.mjs';

const common = esmTypeScript();

export default {
  // Integration suites boot PGlite and Nest in their beforeAll hooks.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
  ],
};
