// `npm start`: the whole system on one machine — server (embedded PostgreSQL and MQTT broker unless
// DATABASE_URL / MQTT_URL are set), the edge gateway as its own process, and the demo plant simulator.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, stopChild } from './lib/children.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const dataDir = path.resolve(env.FLOORBOARD_DATA_DIR ?? path.join(root, 'data'));
const demoMode = !env.DATABASE_URL;
const simulatorOn = (env.FLOORBOARD_SIMULATOR ?? 'on').toLowerCase() !== 'off';
const startedAt = Date.now();

/** In demo mode the generated admin password is kept beside the data, so a restart prints the same one. */
function demoAdminPassword() {
  const file = path.join(dataDir, 'demo-admin-password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(9).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

const adminPassword = env.FLOORBOARD_ADMIN_PASSWORD ?? (demoMode ? demoAdminPassword() : undefined);
const ingestToken = env.FLOORBOARD_INGEST_TOKEN ?? randomBytes(24).toString('base64url');
const common = { ...env, FLOORBOARD_DATA_DIR: dataDir, FLOORBOARD_INGEST_TOKEN: ingestToken };

const children = [];
let shuttingDown = false;

async function shutdown(code, reason, { groupSignalled = false } = {}) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) console.log(`\nFloorboard: ${reason}, stopping…`);
  // Producers first, so nothing is published into a gateway that is already gone.
  for (const handle of [...children].reverse()) await stopChild(handle, { selfStopMs: groupSignalled ? 3000 : 0 });
  process.exit(code);
}
// Ctrl-C in a terminal signals every process of the group, children included.
process.on('SIGINT', () => void shutdown(0, 'Ctrl-C', { groupSignalled: true }));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));

function watch(handle) {
  children.push(handle);
  void handle.exited.then(({ code, signal }) => {
    if (shuttingDown) return;
    void shutdown(code || 1, `${handle.name} exited unexpectedly (${signal ?? `code ${code}`})`);
  });
}

function startAndWaitFor(name, script, childEnv, readyMessage) {
  return new Promise((resolve) => {
    const handle = startChild(name, [path.join(root, script)], childEnv, {
      onEntry: (entry) => entry?.msg === readyMessage && resolve(entry),
    });
    watch(handle);
  });
}

const server = await startAndWaitFor(
  'server',
  'server/dist/main.js',
  { ...common, ...(adminPassword ? { FLOORBOARD_ADMIN_PASSWORD: adminPassword } : {}) },
  'server ready',
);
const brokerUrl = env.MQTT_URL ?? server.mqtt;
const gateway = await startAndWaitFor(
  'gateway',
  'edge-gateway/dist/main.js',
  {
    ...common,
    MQTT_URL: brokerUrl,
    FLOORBOARD_SERVER_URL: server.http,
    GATEWAY_ID: env.GATEWAY_ID ?? 'gw-demo',
    GATEWAY_DATA_DIR: env.GATEWAY_DATA_DIR ?? path.join(dataDir, 'gateway'),
    GATEWAY_PORT: env.GATEWAY_PORT ?? '0',
  },
  'gateway ready',
);
if (simulatorOn) {
  watch(
    startChild('simulator', [path.join(root, 'edge-gateway/dist/simulator/main.js')], {
      ...common,
      MQTT_URL: brokerUrl,
    }),
  );
}

const publicUrl = server.http.replace('127.0.0.1', 'localhost');
console.log(
  [
    '',
    `  Floorboard is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    `    Dashboard   ${publicUrl}/`,
    `    API docs    ${publicUrl}/api/docs`,
    `    Sign in     admin / ${adminPassword ?? '(see FLOORBOARD_ADMIN_PASSWORD, or the password in the server log on first start)'}`,
    `    MQTT        ${brokerUrl}${env.MQTT_URL ? '' : ' (embedded broker)'}`,
    `    Database    ${demoMode ? `embedded PostgreSQL in ${path.join(dataDir, 'pglite')}` : 'DATABASE_URL'}`,
    `    Gateway     http://localhost:${gateway.port ?? '?'}/health`,
    `    Simulator   ${simulatorOn ? 'on (FLOORBOARD_SIMULATOR=off to turn it off)' : 'off'}`,
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);
