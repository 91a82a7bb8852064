import 'reflect-metadata';
import { openStandaloneDatabase } from './standalone.js';

/** `npm run db:migrate`: applies pending migrations (the server also does this at boot). */
const { dataSource, close } = await openStandaloneDatabase();
try {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
} finally {
  await close();
}
