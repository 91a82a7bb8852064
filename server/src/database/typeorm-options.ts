import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** The one TypeORM configuration, used by the app, the CLI data source and the migrate script. */
export function typeormOptions(url: string, schema: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp extension per schema.
    installExtensions: false,
    // Search path so raw SQL finds the tables in a non-default schema too.
    extra: { max: 10, options: `-c search_path=${schema}` },
  };
}
