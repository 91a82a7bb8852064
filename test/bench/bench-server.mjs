// A Floorboard server process for benchmarks: its own ports, data dir and plant file, and (with DATABASE_URL) its
// own PostgreSQL schema, dropped on stop. Shared by live-load.mjs and kpi-query.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const INGEST_TOKEN = 'bench-ingest-token-0123456789abcdef';
const PASSWORD = 'bench-admin-password';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The benches' plant calendar: Berlin, three 8-hour shifts, micro-stops under 120 s. */
export const BENCH_CALENDAR = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  microStopSeconds: 120,
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
};

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const running = new Set();
process.on('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Starts `mainJs` (this build's server by default) with `plant`; a fresh schema unless `schema` is given.
 * `nodeArgs` go before the script (e.g. --cpu-prof). With `traceGc`, V8 reports every collection and
 * `fullCollections` lists, for each full (mark-compact) one, when it ended and the heap left after it: the live set.
 */
export async function startServer({
  plant,
  traceGc = false,
  mainJs = path.join(ROOT, 'server/dist/main.js'),
  env = {},
  schema,
  nodeArgs = [],
}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-bench-'));
  fs.writeFileSync(path.join(dataDir, 'plant.json'), JSON.stringify(plant));
  const ownSchema = schema ?? (process.env.DATABASE_URL ? `bench_${Date.now()}` : undefined);
  const port = await freePort();
  const mqttPort = await freePort();
  const child = spawn(process.execPath, [...(traceGc ? ['--trace-gc'] : []), ...nodeArgs, mainJs], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      MQTT_PORT: String(mqttPort),
      DATABASE_URL: process.env.DATABASE_URL,
      MQTT_URL: process.env.MQTT_URL,
      DATABASE_SCHEMA: ownSchema,
      FLOORBOARD_DATA_DIR: dataDir,
      FLOORBOARD_PLANT: path.join(dataDir, 'plant.json'),
      FLOORBOARD_INGEST_TOKEN: INGEST_TOKEN,
      FLOORBOARD_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', traceGc ? 'pipe' : 'ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore'],
  });
  const fullCollections = [];
  if (traceGc) {
    // e.g. "[123:0x5f…]    61234 ms: Mark-Compact 88.1 (101.2) -> 61.0 (99.5) MB, …"
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
        if (m) fullCollections.push({ at: Date.now(), heapMb: Number(m[1]) });
      }
    });
  }
  running.add(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`server ${mainJs} exited with ${child.exitCode}`);
    if (i > 600) throw new Error('server did not become ready in 60 s');
    await sleep(100);
  }
  const signIn = () =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    }).then((r) => r.json());
  const login = await signIn();
  return {
    base,
    pid: child.pid,
    accessToken: login.accessToken,
    auth: { authorization: `Bearer ${login.accessToken}` },
    schema: ownSchema,
    fullCollections,
    /** Signs in again: access tokens expire (15 min), longer than a long backfill may take. */
    async renewAuth() {
      const fresh = await signIn();
      this.accessToken = fresh.accessToken;
      this.auth = { authorization: `Bearer ${fresh.accessToken}` };
    },
    async stop({ dropSchema = schema === undefined } = {}) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      running.delete(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (dropSchema && ownSchema) {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${ownSchema}" CASCADE`);
        await client.end();
      }
    },
  };
}

/** Posts events to the ingest endpoint as gateway `bench`; throws on any rejection. */
export async function ingest(server, events) {
  const res = await fetch(`${server.base}/api/v1/ingest/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    body: JSON.stringify({ gatewayId: 'bench', events: events.map((e) => ({ gatewayId: 'bench', ...e })) }),
  });
  if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  const body = await res.json();
  if (body.rejected.length > 0) throw new Error(`ingest rejected ${JSON.stringify(body.rejected[0])}`);
}
