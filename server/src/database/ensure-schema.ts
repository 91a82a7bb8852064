import pg from 'pg';

/** Creates the configured schema (`DATABASE_SCHEMA`) before TypeORM runs migrations in it. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  if (schema === 'public') return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}
