import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEMO_PLANT } from '@floorboard/shared';
import { freePort } from './mosquitto.js';
import { endPersistentSession } from './mqtt-session.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningProcess {
  child: ChildProcess;
  /** Every output line so far (stdout and stderr). */
  lines: string[];
  waitFor(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs a built entry point of the monorepo as a real process and follows its JSON log. */
export function runProcess(script: string, env: Record<string, string | undefined>): RunningProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, script)], {
    env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{
    predicate: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }>();
  const onLine = (line: string) => {
    lines.push(line);
    if (process.env.FLOORBOARD_TEST_VERBOSE) process.stderr.write(`[${path.basename(script)}] ${line}\n`);
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    for (const waiter of waiters) {
      if (waiter.predicate(entry)) {
        waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', onLine);
  readline.createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    waitFor(predicate, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${script}: timed out waiting; last output:\n${lines.slice(-20).join('\n')}`));
        }, timeoutMs);
        void exited.then((code) => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`${script} exited with ${code}; output:\n${lines.slice(-30).join('\n')}`));
        });
        const original = waiter.resolve;
        waiter.resolve = (e) => {
          clearTimeout(timer);
          original(e);
        };
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface SystemOptions {
  simulator?: boolean;
  simulatorSpeed?: number;
  plantFile?: string;
  /** Reuse a data dir (restart tests); a fresh temp dir otherwise. */
  dataDir?: string;
  /** An external broker for this run (e.g. a private Mosquitto), instead of `MQTT_URL` or the embedded one. */
  mqttUrl?: string;
}

export interface RunningSystem {
  httpUrl: string;
  mqttUrl: string;
  adminPassword: string;
  ingestToken: string;
  dataDir: string;
  /** Unique per run, so parallel runs on a shared real broker do not collide. */
  site: string;
  /** The run's database schema on a real PostgreSQL (DATABASE_URL), undefined on the embedded database. */
  schema?: string;
  gatewayId: string;
  /** The current processes; replaced by the restart helpers below. */
  server: RunningProcess;
  gateway: RunningProcess;
  simulator?: RunningProcess;
  /** `/health` and `/metrics` of the current gateway process. */
  gatewayUrl(): string;
  /** Stops the server (SIGTERM); `startServer` brings it back on the same port, data dir and schema. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Stops the gateway (SIGTERM, or SIGKILL mid-stream) and starts it again with the same id and data dir. */
  restartGateway(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole system as `npm start` runs it, on free ports: server, gateway and (optionally) the
 * simulator as real processes. `DATABASE_URL`/`MQTT_URL` from the environment select real services
 * (then each run gets its own database schema); otherwise embedded ones.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-system-'));
  const adminPassword = 'system-test-admin';
  const ingestToken = `system-test-ingest-${randomBytes(8).toString('hex')}`;
  const schema = process.env.DATABASE_URL ? `sys_${randomBytes(6).toString('hex')}` : undefined;
  // The server applies the demo plant only on its embedded database; on a real one the test says so.
  const plantFile = options.plantFile ?? (process.env.DATABASE_URL ? writeDemoPlant(dataDir) : undefined);
  const brokerUrl = options.mqttUrl ?? process.env.MQTT_URL;
  // A fixed port, so a restarted server is found by the gateway at the same URL.
  const serverPort = await freePort();
  const serverEnv = {
    PORT: String(serverPort),
    HOST: '127.0.0.1',
    MQTT_PORT: '0',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_SCHEMA: schema,
    MQTT_URL: brokerUrl,
    FLOORBOARD_DATA_DIR: dataDir,
    FLOORBOARD_PLANT: plantFile,
    FLOORBOARD_ADMIN_PASSWORD: adminPassword,
    FLOORBOARD_INGEST_TOKEN: ingestToken,
    LOG_LEVEL: 'info',
  };
  const startServerProcess = async () => {
    const proc = runProcess('server/dist/main.js', serverEnv);
    const ready = await proc.waitFor((e) => e.msg === 'server ready', 90_000);
    return { proc, ready };
  };
  const first = await startServerProcess();
  const server = first.proc;
  const httpUrl = String(first.ready.http);
  const mqttUrl = brokerUrl ?? String(first.ready.mqtt);
  const gatewayId = `gw-test-${randomBytes(4).toString('hex')}`;
  const gatewayEnv = {
    MQTT_URL: mqttUrl,
    FLOORBOARD_SERVER_URL: httpUrl,
    FLOORBOARD_INGEST_TOKEN: ingestToken,
    GATEWAY_ID: gatewayId,
    GATEWAY_DATA_DIR: path.join(dataDir, 'gateway'),
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'info',
  };
  const startGatewayProcess = async () => {
    const proc = runProcess('edge-gateway/dist/main.js', gatewayEnv);
    const ready = await proc.waitFor((e) => e.msg === 'gateway ready', 30_000);
    return { proc, port: Number(ready.port) };
  };
  const firstGateway = await startGatewayProcess();
  const gateway = firstGateway.proc;
  let gatewayPort = firstGateway.port;
  let simulator: RunningProcess | undefined;
  if (options.simulator) {
    simulator = runProcess('edge-gateway/dist/simulator/main.js', {
      MQTT_URL: mqttUrl,
      SIM_SEED: '7',
      SIM_SPEED: String(options.simulatorSpeed ?? 1),
      FLOORBOARD_PLANT: options.plantFile,
    });
  }
  const system: RunningSystem = {
    httpUrl,
    mqttUrl,
    adminPassword,
    ingestToken,
    dataDir,
    site: `site-${randomBytes(3).toString('hex')}`,
    schema,
    gatewayId,
    server,
    gateway,
    simulator,
    gatewayUrl: () => `http://127.0.0.1:${gatewayPort}`,
    async stopServer() {
      await system.server.stop();
    },
    async startServer() {
      system.server = (await startServerProcess()).proc;
    },
    async restartGateway(signal = 'SIGTERM') {
      await system.gateway.stop(signal);
      const next = await startGatewayProcess();
      system.gateway = next.proc;
      gatewayPort = next.port;
    },
    async stop() {
      await system.simulator?.stop();
      await system.gateway.stop();
      await system.server.stop();
      if (brokerUrl) await endPersistentSession(mqttUrl, `floorboard-gw-${gatewayId}`);
      if (schema) await dropSchema(schema);
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return system;
}

/** The demo plant as a plant file (JSON is valid YAML). */
function writeDemoPlant(dir: string): string {
  const file = path.join(dir, 'demo-plant.json');
  fs.writeFileSync(file, JSON.stringify(DEMO_PLANT));
  return file;
}

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

export async function login(httpUrl: string, password: string): Promise<string> {
  const res = await fetch(`${httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
