#!/usr/bin/env node
// Live load benchmark: 1,000 stations at 1 event/s each (half state changes, half counts) posted to the ingest
// endpoint, 50 socket.io clients each subscribed to 10 lines, then a 7-day KPI query over a backfilled line.
//
//   node test/bench/live-load.mjs                       (60 s of load)
//   node test/bench/live-load.mjs --duration 120 --clients 50 --lines 100 --stations-per-line 10
//
// Prints: server CPU share, heap over the run, publish-to-client latency p50/p99 (client receive time minus the
// event time, which is stamped when the batch is posted: ingest commit + coalescing + socket), the number of
// socket messages, and the 7-day KPI query time. Embedded PGlite and broker unless DATABASE_URL / MQTT_URL are
// set. Needs `npm run build` (server/dist). Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io } from 'socket.io-client';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return Number(i >= 0 ? args[i + 1] : fallback);
};
const durationS = arg('duration', 60);
const clientCount = arg('clients', 50);
const lineCount = arg('lines', 100);
const perLine = arg('stations-per-line', 10);
const linesPerClient = arg('lines-per-client', 10);
const historyEveryS = arg('history-interval', 120);
const TOKEN = 'bench-ingest-token-0123456789abcdef';
const PASSWORD = 'bench-admin-password';
const STATES = ['running', 'running', 'running', 'starved', 'blocked', 'down', 'idle'];

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-bench-'));
const plant = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  microStopSeconds: 120,
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
  lines: Array.from({ length: lineCount }, (_, l) => ({
    key: `line-${l}`,
    name: `Line ${l}`,
    site: 'bench',
    idealCycleTimeSec: 30,
    stations: Array.from({ length: perLine }, (_, s) => ({
      key: `st-${s}`,
      name: `Station ${s}`,
      idealCycleTimeSec: 30,
    })),
  })),
};
fs.writeFileSync(path.join(dataDir, 'plant.json'), JSON.stringify(plant));

const schema = process.env.DATABASE_URL ? `bench_${Date.now()}` : undefined;
const port = await freePort();
const mqttPort = await freePort();
const server = spawn(process.execPath, [path.join(ROOT, 'server/dist/main.js')], {
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    MQTT_PORT: String(mqttPort),
    DATABASE_URL: process.env.DATABASE_URL,
    MQTT_URL: process.env.MQTT_URL,
    DATABASE_SCHEMA: schema,
    FLOORBOARD_DATA_DIR: dataDir,
    FLOORBOARD_PLANT: path.join(dataDir, 'plant.json'),
    FLOORBOARD_INGEST_TOKEN: TOKEN,
    FLOORBOARD_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore'],
});
process.on('exit', () => server.exitCode === null && server.kill('SIGKILL'));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  const ok = await fetch(`${base}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 600) throw new Error('server did not become ready in 60 s');
  await sleep(100);
}
const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: PASSWORD }),
}).then((r) => r.json());
const auth = { authorization: `Bearer ${login.accessToken}` };

let seq = 1;
const ingest = async (events) => {
  const res = await fetch(`${base}/api/v1/ingest/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ gatewayId: 'bench', events: events.map((e) => ({ gatewayId: 'bench', ...e })) }),
  });
  if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  const body = await res.json();
  if (body.rejected.length > 0) throw new Error(`ingest rejected ${JSON.stringify(body.rejected[0])}`);
};

// Clients.
const latencies = [];
let messages = 0;
const clients = [];
for (let c = 0; c < clientCount; c++) {
  const socket = io(`${base}/live`, { auth: { token: login.accessToken }, transports: ['websocket'] });
  socket.onAny((event, payload) => {
    messages++;
    if (event === 'station:state-changed') latencies.push(Date.now() - payload.since);
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  const lines = Array.from({ length: linesPerClient }, (_, i) => `line-${(c * 2 + i) % lineCount}`);
  await socket.emitWithAck('subscribe', { lines });
  clients.push(socket);
}

// CPU and heap of the server process.
const cpuTicks = () => {
  const fields = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const heapUsed = async () => {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  const m = /^floorboard_server_nodejs_heap_size_used_bytes (\S+)/m.exec(text);
  return m ? Number(m[1]) / 1e6 : NaN;
};
const heap = [await heapUsed()];
const heapTimer = setInterval(() => void heapUsed().then((h) => heap.push(h)), 5000);

// Load: every 100 ms a tenth of the stations report.
const stations = plant.lines.flatMap((l) => l.stations.map((s) => ({ line: l.key, station: s.key })));
const tick = 100;
const perTick = Math.round(stations.length / (1000 / tick));
let cursor = 0;
let sent = 0;
let slowTicks = 0;
const ticksStart = cpuTicks();
const started = Date.now();
latencies.length = 0;
while (Date.now() - started < durationS * 1000) {
  const t = Date.now();
  const events = [];
  for (let k = 0; k < perTick; k++) {
    const s = stations[cursor++ % stations.length];
    const state = cursor % 2 === 0;
    events.push(
      state
        ? {
            seq: seq++,
            line: s.line,
            station: s.station,
            ts: t,
            type: 'state',
            state: STATES[(cursor * 7919 + Math.floor(t / 1000)) % STATES.length],
            source: 'floorboard-json',
          }
        : {
            seq: seq++,
            line: s.line,
            station: s.station,
            ts: t,
            type: 'count',
            good: 1,
            scrap: cursor % 50 === 0 ? 1 : 0,
            source: 'floorboard-json',
          },
    );
  }
  await ingest(events);
  sent += events.length;
  const spent = Date.now() - t;
  if (spent > tick) slowTicks++;
  await sleep(Math.max(0, tick - spent));
}
const elapsedS = (Date.now() - started) / 1000;
const cpuS = (cpuTicks() - ticksStart) / 100;
await sleep(500);
clearInterval(heapTimer);
heap.push(await heapUsed());
const sorted = latencies.slice().sort((a, b) => a - b);

console.log(
  `load: ${stations.length} stations, ${sent} events in ${elapsedS.toFixed(1)} s (${(sent / elapsedS).toFixed(0)}/s), ${slowTicks} ticks over ${tick} ms`,
);
console.log(`server CPU: ${((cpuS / elapsedS) * 100).toFixed(1)} % of one core`);
console.log(`server heap used (MB, every 5 s): ${heap.map((h) => h.toFixed(0)).join(' ')}`);
console.log(
  `clients: ${clientCount} × ${linesPerClient} lines, ${messages} messages (${(messages / elapsedS / clientCount).toFixed(1)}/s per client)`,
);
console.log(
  `publish → client latency (state changes): p50 ${pct(sorted, 50)} ms, p99 ${pct(sorted, 99)} ms, n=${sorted.length}`,
);
for (const c of clients) c.disconnect();

// 7 days of history for one line (state change per station every `history-interval` s, counts with them).
const week = 7 * 86_400_000;
const to = Date.now() - 3_600_000;
const from = to - week;
const line = plant.lines[0];
let backfilled = 0;
const fillStart = Date.now();
for (let t0 = from; t0 < to; t0 += 3_600_000) {
  const events = [];
  for (let t = t0; t < Math.min(t0 + 3_600_000, to); t += historyEveryS * 1000) {
    for (const s of line.stations) {
      const k = Math.floor(t / 1000) + s.key.length;
      events.push({
        seq: seq++,
        line: line.key,
        station: s.key,
        ts: t + (k % 7) * 1000,
        type: 'state',
        state: STATES[k % STATES.length],
        historical: true,
        source: 'floorboard-json',
      });
      events.push({
        seq: seq++,
        line: line.key,
        station: s.key,
        ts: t + 500,
        type: 'count',
        good: 3,
        scrap: 0,
        historical: true,
        source: 'floorboard-json',
      });
    }
  }
  await ingest(events);
  backfilled += events.length;
}
const fillS = (Date.now() - fillStart) / 1000;
const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
const times = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const res = await fetch(`${base}/api/v1/lines/${line.key}/kpis?${q}`, { headers: auth });
  if (!res.ok) throw new Error(`kpis ${res.status}: ${await res.text()}`);
  await res.json();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(
  `history: ${backfilled} backfilled events for ${line.key} in ${fillS.toFixed(1)} s (${(backfilled / fillS).toFixed(0)}/s)`,
);
console.log(
  `7-day KPI query (${line.stations.length} stations, ~${Math.round((week / 1000 / historyEveryS) * line.stations.length)} intervals): median ${times[2].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[4].toFixed(0)} ms`,
);

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
fs.rmSync(dataDir, { recursive: true, force: true });
if (schema) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
