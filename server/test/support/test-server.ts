import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { PlantFile } from '@floorboard/shared';
import { startServer, type RunningServer } from '../../src/app.js';
import { JsonLogger } from '../../src/common/json-logger.js';
import { loadConfig } from '../../src/config/app-config.js';

export const INGEST_TOKEN = 'integration-ingest-token-0123456789';
export const ADMIN_PASSWORD = 'integration-admin-pw';

export interface TestServer extends RunningServer {
  schema: string;
  adminToken: string;
  ingest(body: unknown, token?: string): request.Test;
  get(path: string, token?: string): request.Test;
}

/**
 * Boots the real app on free ports. With `DATABASE_URL`/`MQTT_URL` set it runs against those
 * (each suite in its own schema); otherwise against in-memory PGlite and an embedded broker.
 */
export async function startTestServer(options: {
  plant: PlantFile | null;
  schema?: string;
  dataDir?: string;
  /** Further environment settings (e.g. FLOORBOARD_KPI_ROLLUPS). */
  env?: Record<string, string>;
}): Promise<TestServer> {
  const schema = options.schema ?? (process.env.DATABASE_URL ? `it_${randomBytes(6).toString('hex')}` : 'public');
  const loaded = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MQTT_PORT: '0',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_SCHEMA: schema,
    MQTT_URL: process.env.MQTT_URL,
    FLOORBOARD_INGEST_TOKEN: INGEST_TOKEN,
    FLOORBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FLOORBOARD_DATA_DIR: options.dataDir ?? './data/test-unused',
    LOG_LEVEL: 'error',
    ...options.env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const server = await startServer(loaded.config, {
    plant: options.plant,
    inMemoryDatabase: !options.dataDir,
    logger: new JsonLogger('error'),
  });
  const login = await request(server.httpUrl)
    .post('/api/v1/auth/login')
    .send({ username: 'admin', password: ADMIN_PASSWORD })
    .expect(200);
  const adminToken = (login.body as { accessToken: string }).accessToken;
  return {
    ...server,
    schema,
    adminToken,
    ingest: (body, token = INGEST_TOKEN) =>
      request(server.httpUrl)
        .post('/api/v1/ingest/events')
        .set('Authorization', `Bearer ${token}`)
        .send(body as object),
    get: (path, token = adminToken) => request(server.httpUrl).get(path).set('Authorization', `Bearer ${token}`),
  };
}

/** Drops the suite's schema on a real database; the in-memory one simply goes away. */
export async function dropTestSchema(server: TestServer): Promise<void> {
  if (!process.env.DATABASE_URL || server.schema === 'public') return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${server.schema}" CASCADE`);
  await client.end();
}

/**
 * Storage that survives a server restart inside one suite: a temp data dir for the embedded database,
 * or a fixed schema on a real one. `release` closes the server and removes both.
 */
export function restartableStorage(prefix: string): {
  dataDir: string | undefined;
  schema: string | undefined;
  release(server: TestServer | undefined): Promise<void>;
} {
  const dataDir = process.env.DATABASE_URL
    ? undefined
    : fs.mkdtempSync(path.join(os.tmpdir(), `floorboard-${prefix}-`));
  const schema = process.env.DATABASE_URL ? `it_${randomBytes(6).toString('hex')}` : undefined;
  return {
    dataDir,
    schema,
    async release(server) {
      if (server) {
        await dropTestSchema(server);
        await server.close();
      }
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
