import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

/**
 * The embedded PostgreSQL behind its socket, with several connections at once, as the server's pool uses it: every
 * parameterised query must run with its own parameters (pglite-socket interleaved the extended-protocol messages of
 * two connections, binding one's parameters to the other's statement). This load did not make the unpatched queue
 * interleave on our machine (the line view's four concurrent requests in e2e/line-history did, every time); it
 * guards that the patched queue keeps answering concurrent queries and transactions correctly.
 */
describe('embedded PostgreSQL (PGlite behind a socket)', () => {
  let db: EmbeddedPostgres;
  let pool: pg.Pool;
  // On disk, as `npm start` runs it: PGlite then syncs its files after each message, which lets other connections'
  // messages in between.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-pglite-'));

  beforeAll(async () => {
    db = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite') });
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
  }, 60_000);
  afterAll(async () => {
    await pool.end();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps concurrent extended queries of different connections apart', async () => {
    const queries = Array.from({ length: 300 }, async (_, k) => {
      if (k % 2 === 0) {
        const { rows } = await pool.query<{ n: string }>('SELECT $1::bigint + $2::bigint AS n', [k, 1]);
        expect(Number(rows[0]!.n)).toBe(k + 1);
      } else {
        // Large enough (~100 KB) to reach the socket in several chunks, as a bulk insert's arrays do.
        const words = Array.from({ length: 5000 + k }, (_, i) => `word-${i}-${k}`);
        const { rows } = await pool.query<{ n: number; k: string }>(
          'SELECT array_length($1::text[], 1) AS n, $2::text AS k',
          [words, `q${k}`],
        );
        expect(rows[0]).toEqual({ n: words.length, k: `q${k}` });
      }
    });
    await Promise.all(queries);
  });

  it('still gives a transaction its connection alone', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS t_tx (v int)');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO t_tx VALUES ($1)', [1]);
      // Another connection's query waits for the transaction to end, then sees its row.
      const other = pool.query<{ n: string }>('SELECT count(*) AS n FROM t_tx WHERE v = $1', [1]);
      await client.query('COMMIT');
      expect(Number((await other).rows[0]!.n)).toBe(1);
    } finally {
      client.release();
    }
  });
});
