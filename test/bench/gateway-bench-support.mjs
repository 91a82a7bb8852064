// Shared by the gateway benchmarks: child processes (server, gateway), a private tuned Mosquitto, metrics,
// CPU time and memory of a process. Needs `npm run build`.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLOCK_TICKS = 100; // USER_HZ on Linux

export function parseArgs(argv = process.argv.slice(2)) {
  return (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
}

const children = new Set();
// Children never outlive the bench, also when it fails half-way.
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** Spawns `node <script>` (or another command) and lets the caller wait for a JSON log line. */
export function run(command, args, env, name, { profileDir } = {}) {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
  const isNode = command === process.execPath;
  const child = spawn(command, isNode ? [...prof, ...args] : args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const waiters = [];
  const lines = [];
  const onLine = (line) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      return;
    }
    for (const w of [...waiters]) {
      if (!w.pred(e)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  };
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', onLine);
  return {
    child,
    waitFor: (pred, ms = 90_000) =>
      new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        setTimeout(
          () => reject(new Error(`${name}: timeout; last output:\n${lines.slice(-20).join('\n')}`)),
          ms,
        ).unref();
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function mosquittoAvailable() {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return error.code !== 'ENOENT';
  }
}

/**
 * The broker: MQTT_URL if set; else a private Mosquitto on a free port, tuned so the broker itself never drops
 * or throttles (max_inflight_messages 1000, unbounded queues), if the binary exists; else the server's embedded
 * broker (aedes), which is slower: the figures say which one was used.
 */
export async function startBroker({ maxInflight = 1000 } = {}) {
  if (process.env.MQTT_URL) return { url: process.env.MQTT_URL, label: `MQTT_URL ${process.env.MQTT_URL}`, stop() {} };
  if (!mosquittoAvailable()) return { url: undefined, label: "the server's embedded aedes broker", stop() {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-mosquitto-'));
  const port = await freePort();
  const config = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      `max_inflight_messages ${maxInflight}`,
      'max_queued_messages 0',
      'max_queued_bytes 0',
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      'log_dest stderr',
      'log_type error',
      '',
    ].join('\n'),
  );
  const broker = run('mosquitto', ['-c', config], {}, 'mosquitto');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    label: `private Mosquitto (max_inflight_messages ${maxInflight}, unbounded queues)`,
    pid: broker.child.pid,
    async stop() {
      await broker.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Server (PGlite or DATABASE_URL in its own schema) and gateway processes on free ports. */
export async function startSystem({ brokerUrl, profileDir, gatewayEnv = {} }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-'));
  const token = `bench-${randomBytes(8).toString('hex')}`;
  const schema = process.env.DATABASE_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
  const server = run(
    process.execPath,
    [path.join(ROOT, 'server/dist/main.js')],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      DATABASE_URL: process.env.DATABASE_URL,
      DATABASE_SCHEMA: schema,
      MQTT_URL: brokerUrl,
      FLOORBOARD_DATA_DIR: dataDir,
      FLOORBOARD_ADMIN_PASSWORD: 'bench-admin-pass',
      FLOORBOARD_INGEST_TOKEN: token,
      LOG_LEVEL: 'info',
    },
    'server',
    { profileDir },
  );
  const ready = await server.waitFor((e) => e.msg === 'server ready');
  const httpUrl = String(ready.http);
  const mqttUrl = brokerUrl ?? String(ready.mqtt);
  const gatewayId = `gw-bench-${randomBytes(3).toString('hex')}`;
  // The same id and data directory on every start: a restarted gateway resumes its broker session and outbox.
  const startGateway = async () => {
    const gateway = run(
      process.execPath,
      [path.join(ROOT, 'edge-gateway/dist/main.js')],
      {
        MQTT_URL: mqttUrl,
        FLOORBOARD_SERVER_URL: httpUrl,
        FLOORBOARD_INGEST_TOKEN: token,
        GATEWAY_ID: gatewayId,
        GATEWAY_DATA_DIR: path.join(dataDir, 'gateway'),
        GATEWAY_PORT: '0',
        LOG_LEVEL: 'info',
        ...gatewayEnv,
      },
      'gateway',
      { profileDir },
    );
    const gwReady = await gateway.waitFor((e) => e.msg === 'gateway ready', 30_000);
    system.gateway = gateway;
    system.gatewayUrl = `http://127.0.0.1:${gwReady.port}`;
  };
  const db = schema ? await databaseClient(schema) : null;
  const system = {
    server,
    gateway: undefined,
    gatewayUrl: undefined,
    gatewayId,
    mqttUrl,
    database: process.env.DATABASE_URL ? `PostgreSQL (DATABASE_URL, schema ${schema})` : 'embedded PGlite',
    startGateway,
    /** Rows in station_events committed for this gateway (null with PGlite, which the bench cannot reach). */
    async committedRows() {
      if (!db) return null;
      const { rows } = await db.query('SELECT count(*)::bigint AS n FROM station_events WHERE gateway_id = $1', [
        gatewayId,
      ]);
      return Number(rows[0].n);
    },
    async stop() {
      await system.gateway?.stop();
      await server.stop();
      if (db) {
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await db.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await startGateway();
  return system;
}

async function databaseClient(schema) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  return client;
}

/** Sum of a Prometheus metric's samples (all label sets). */
export async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'gm'))].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
}

export function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** CPU seconds of every process with this command name (e.g. all PostgreSQL backends), including other work. */
export function cpuSecondsOf(command) {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command) total += cpuSeconds(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CPU seconds of every process on the machine (all cores), for how busy it was with other work. */
export function machineCpuSeconds() {
  const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const f = cpu.split(/\s+/).slice(1).map(Number);
  return {
    busy: (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLOCK_TICKS,
    all: f.reduce((a, b) => a + b, 0) / CLOCK_TICKS,
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
