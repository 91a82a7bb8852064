import { InitialSchema1764288000000 } from './1764288000000-initial-schema.js';

/** Class references, not globs: ESM-safe in dist and in tests alike. Append new migrations here. */
export const MIGRATIONS = [InitialSchema1764288000000];
