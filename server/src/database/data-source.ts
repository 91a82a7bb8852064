import { DataSource } from 'typeorm';
import { typeormOptions } from './typeorm-options.js';

/** For the TypeORM CLI (`npm run db:migration:generate`): exactly one DataSource export. */
export default new DataSource(
  typeormOptions(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/floorboard',
    process.env.DATABASE_SCHEMA ?? 'public',
  ),
);
