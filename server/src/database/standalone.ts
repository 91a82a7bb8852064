import path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { lockDataDir } from '../embedded/data-dir-lock.js';
import { startEmbeddedPostgres } from '../embedded/embedded-postgres.js';
import { ensureSchema } from './ensure-schema.js';
import { typeormOptions } from './typeorm-options.js';

/**
 * A DataSource for command-line tasks (migrate, seed): `DATABASE_URL` if set, otherwise the same
 * embedded data directory `npm start` uses (the server must not be running on it at the same time).
 */
export async function openStandaloneDatabase(): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`invalid configuration:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    process.exit(1);
  }
  const config = loaded.config;
  let url = config.databaseUrl;
  const cleanups: (() => Promise<void> | void)[] = [];
  if (!url) {
    const lock = lockDataDir(config.dataDir);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pglite') });
    cleanups.push(
      () => pg.stop(),
      () => lock.release(),
    );
    url = pg.url;
  }
  await ensureSchema(url, config.databaseSchema);
  const dataSource = new DataSource({ ...typeormOptions(url, config.databaseSchema), migrationsRun: false });
  await dataSource.initialize();
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      for (const fn of cleanups) await fn();
    },
  };
}
