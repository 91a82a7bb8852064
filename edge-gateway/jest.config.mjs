import { esmTypeScript } from '../jest.preset.mjs';

export default {
  ...esmTypeScript(),
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 30_000,
};
