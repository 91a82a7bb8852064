import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST_MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/main.js');

/**
 * Boots the built server with its secrets in files (`*_FILE`), signs in, fails to sign in, posts
 * with right and wrong ingest tokens, and asserts that no secret appears anywhere in its output.
 */
describe('secrets from files, never logged', () => {
  let child: ChildProcess;
  let output = '';
  const adminPassword = `admin-${randomBytes(12).toString('hex')}`;
  const ingestToken = `ingest-${randomBytes(16).toString('hex')}`;
  const dbPassword = `db-${randomBytes(12).toString('hex')}`;
  const schema = `it_secrets_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (process.env.DATABASE_URL) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('reads secrets from *_FILE and keeps them out of the logs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-secrets-'));
    const file = (name: string, content: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content + '\n', { mode: 0o600 });
      return p;
    };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      FLOORBOARD_DATA_DIR: path.join(dir, 'data'),
      FLOORBOARD_ADMIN_PASSWORD_FILE: file('admin', adminPassword),
      FLOORBOARD_INGEST_TOKEN_FILE: file('ingest', ingestToken),
    };
    if (process.env.DATABASE_URL) {
      const url = new URL(process.env.DATABASE_URL);
      url.password = dbPassword; // trust auth on the test machine ignores it; it must still not leak
      env.DATABASE_URL_FILE = file('db', url.toString());
      env.DATABASE_SCHEMA = schema;
    }
    if (process.env.MQTT_URL) env.MQTT_URL = process.env.MQTT_URL;
    else env.MQTT_PORT = '0';

    child = spawn(process.execPath, [DIST_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no READY within 45 s:\n${output}`)), 45_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"msg":"server ready","http":"([^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
    const http = await ready;

    const post = (url: string, body: unknown, token?: string) =>
      fetch(`${http}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const login = await post('/api/v1/auth/login', { username: 'admin', password: adminPassword });
    expect(login.status).toBe(200);
    const session = (await login.json()) as { accessToken: string; refreshToken: string };
    expect((await post('/api/v1/auth/login', { username: 'admin', password: `${adminPassword}x` })).status).toBe(401);
    expect((await post('/api/v1/ingest/events', { gatewayId: 'gw', events: [] }, ingestToken)).status).toBe(200);
    expect((await post('/api/v1/ingest/events', { gatewayId: 'gw', events: [] }, `${ingestToken}x`)).status).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
    const created = await post(
      '/api/v1/users',
      { username: 'logged', password: adminPassword, role: 'viewer' },
      session.accessToken,
    );
    expect(created.status).toBe(201);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(output).toContain('server ready');
    for (const secret of [adminPassword, ingestToken, dbPassword, session.accessToken, session.refreshToken]) {
      expect(output.includes(secret)).toBe(false);
    }
  });
});
