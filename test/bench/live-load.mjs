#!/usr/bin/env node
// Live load benchmark: 1,000 stations at 1 event/s each (half state changes, half counts) posted to the ingest
// endpoint, 50 socket.io clients each subscribed to 10 lines, then a 7-day KPI query over a backfilled line.
//
//   node test/bench/live-load.mjs                       (10 minutes of load, after 1 minute of baseline)
//   node test/bench/live-load.mjs --minutes 1 --baseline-minutes 1 --rounds 4   (alternating parts: noisy machines)
//   node test/bench/live-load.mjs --duration 60 --clients 50 --lines 100 --stations-per-line 10
//   DATABASE_URL=postgres://… node test/bench/live-load.mjs --baseline-server /tmp/base/server/dist/main.js
//
// Phases, each on a fresh server: a baseline run of the same load with the former fixed-tick coalescing
// (FLOORBOARD_LIVE_FLUSH=interval) for --baseline-minutes (0 skips it), then the measured run with the default
// (leading edge + trailing coalescing) for --minutes (or --duration seconds). Prints per run: server CPU share,
// heap used (start, end, max), publish-to-client latency p50/p99 measured by the clients (client receive time minus
// the event time, stamped when the batch is posted: ingest commit + coalescing + socket) and the messages per
// client. Then backfills 7 days for one line and times the KPI query (median of 5). With --baseline-server (a
// server/dist/main.js built from an older commit; real PostgreSQL only) that server is started on the same schema
// and the same query is timed against it, alternating with this build. Embedded PGlite and broker unless
// DATABASE_URL / MQTT_URL are set. Needs `npm run build` (server/dist). Prints figures; asserts nothing.
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
const given = (name) => args.includes(`--${name}`);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  const value = Number(i >= 0 ? args[i + 1] : fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
};
const durationS = given('duration') ? arg('duration', 60) : arg('minutes', 10) * 60;
const baselineS = arg('baseline-minutes', 1) * 60;
const clientCount = arg('clients', 50);
const lineCount = arg('lines', 100);
const perLine = arg('stations-per-line', 10);
const linesPerClient = arg('lines-per-client', 10);
const historyEveryS = arg('history-interval', 120);
const baselineServer = given('baseline-server') ? args[args.indexOf('--baseline-server') + 1] : null;
if (baselineServer && !process.env.DATABASE_URL)
  throw new Error('--baseline-server needs DATABASE_URL (one schema for both)');
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
const stations = plant.lines.flatMap((l) => l.stations.map((s) => ({ line: l.key, station: s.key })));

/** A server process of `mainJs` on its own ports; a fresh data dir and schema unless `schema` is given. */
async function startServer({ mainJs = path.join(ROOT, 'server/dist/main.js'), env = {}, schema } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-bench-'));
  fs.writeFileSync(path.join(dataDir, 'plant.json'), JSON.stringify(plant));
  const ownSchema = schema ?? (process.env.DATABASE_URL ? `bench_${Date.now()}` : undefined);
  const port = await freePort();
  const mqttPort = await freePort();
  const child = spawn(process.execPath, [mainJs], {
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
      FLOORBOARD_INGEST_TOKEN: TOKEN,
      FLOORBOARD_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore'],
  });
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
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  }).then((r) => r.json());
  return {
    base,
    pid: child.pid,
    accessToken: login.accessToken,
    auth: { authorization: `Bearer ${login.accessToken}` },
    schema: ownSchema,
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
const running = new Set();
process.on('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

let seq = 1;
const ingest = async (server, events) => {
  const res = await fetch(`${server.base}/api/v1/ingest/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ gatewayId: 'bench', events: events.map((e) => ({ gatewayId: 'bench', ...e })) }),
  });
  if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  const body = await res.json();
  if (body.rejected.length > 0) throw new Error(`ingest rejected ${JSON.stringify(body.rejected[0])}`);
};

/** The live load for `seconds` against `server` with the socket.io clients connected; returns the figures. */
async function runLoad(server, seconds) {
  const latencies = [];
  let messages = 0;
  const clients = [];
  for (let c = 0; c < clientCount; c++) {
    const socket = io(`${server.base}/live`, { auth: { token: server.accessToken }, transports: ['websocket'] });
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
    const text = await fetch(`${server.base}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    const m = /^floorboard_server_nodejs_heap_size_used_bytes (\S+)/m.exec(text);
    return m ? Number(m[1]) / 1e6 : NaN;
  };
  const heap = [await heapUsed()];
  const heapTimer = setInterval(() => void heapUsed().then((h) => heap.push(h)), 5000);

  // Load: every 100 ms a tenth of the stations report.
  const tick = 100;
  const perTick = Math.round(stations.length / (1000 / tick));
  let cursor = 0;
  let sent = 0;
  let slowTicks = 0;
  const ticksStart = cpuTicks();
  const started = Date.now();
  latencies.length = 0;
  messages = 0;
  while (Date.now() - started < seconds * 1000) {
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
    await ingest(server, events);
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
  for (const c of clients) c.disconnect();
  return { sent, elapsedS, slowTicks, cpuS, heap: heap.filter(Number.isFinite), messages, latencies };
}

/** The figures of one or more runs of the same server taken together. */
function combine(runs) {
  const sum = (key) => runs.reduce((total, r) => total + r[key], 0);
  const sorted = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const elapsedS = sum('elapsedS');
  return {
    sent: sum('sent'),
    elapsedS,
    slowTicks: sum('slowTicks'),
    cpuShare: sum('cpuS') / elapsedS,
    heap: runs.flatMap((r) => r.heap),
    messagesPerClientS: sum('messages') / elapsedS / clientCount,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    n: sorted.length,
  };
}

function report(label, r) {
  const mb = (v) => `${v.toFixed(0)} MB`;
  console.log(`${label}:`);
  console.log(
    `  load: ${stations.length} stations, ${r.sent} events in ${r.elapsedS.toFixed(1)} s (${(r.sent / r.elapsedS).toFixed(0)}/s), ${r.slowTicks} ticks over 100 ms`,
  );
  console.log(`  server CPU: ${(r.cpuShare * 100).toFixed(1)} % of one core`);
  console.log(
    `  server heap used: start ${mb(r.heap[0])}, end ${mb(r.heap[r.heap.length - 1])}, max ${mb(Math.max(...r.heap))} (every minute: ${r.heap
      .filter((_, i) => i % 12 === 0)
      .map((h) => h.toFixed(0))
      .join(' ')})`,
  );
  console.log(
    `  clients: ${clientCount} × ${linesPerClient} lines, ${r.messagesPerClientS.toFixed(1)} messages/s per client`,
  );
  console.log(`  publish → client latency (state changes): p50 ${r.p50} ms, p99 ${r.p99} ms, n=${r.n}`);
}

console.log(
  `live-load: ${stations.length} stations, ${clientCount} clients, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; ` +
    `baseline ${baselineS} s (FLOORBOARD_LIVE_FLUSH=interval), measured ${durationS} s (default leading)`,
);
// With --rounds N the two runs alternate in N parts each, so a machine whose load drifts weighs on both alike.
const rounds = Math.max(1, Math.round(arg('rounds', 1)));
const old = baselineS > 0 ? await startServer({ env: { FLOORBOARD_LIVE_FLUSH: 'interval' } }) : null;
const server = await startServer();
const runs = { baseline: [], measured: [] };
for (let round = 0; round < rounds; round++) {
  if (old) runs.baseline.push(await runLoad(old, baselineS / rounds));
  runs.measured.push(await runLoad(server, durationS / rounds));
}
if (old) await old.stop();
const baseline = old ? combine(runs.baseline) : null;
const measured = combine(runs.measured);
if (baseline) report('baseline: fixed 250 ms tick (FLOORBOARD_LIVE_FLUSH=interval)', baseline);
report('measured: leading edge + trailing coalescing (default)', measured);
if (baseline) {
  console.log(
    `  p99 against the baseline in this run: ${measured.p99} ms vs ${baseline.p99} ms; p50 ${measured.p50} vs ${baseline.p50} ms`,
  );
}

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
  await ingest(server, events);
  backfilled += events.length;
}
const fillS = (Date.now() - fillStart) / 1000;
console.log(
  `history: ${backfilled} backfilled events for ${line.key} in ${fillS.toFixed(1)} s (${(backfilled / fillS).toFixed(0)}/s)`,
);
const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
const kpiOnce = async (target) => {
  const t = performance.now();
  const res = await fetch(`${target.base}/api/v1/lines/${line.key}/kpis?${q}`, { headers: target.auth });
  if (!res.ok) throw new Error(`kpis ${res.status}: ${await res.text()}`);
  const body = await res.json();
  return { ms: performance.now() - t, body };
};
const older = baselineServer
  ? await startServer({ mainJs: path.resolve(baselineServer), schema: server.schema })
  : null;
const times = { current: [], old: [] };
let same = true;
for (let i = 0; i < 5; i++) {
  const now = await kpiOnce(server);
  times.current.push(now.ms);
  if (older) {
    const before = await kpiOnce(older);
    times.old.push(before.ms);
    same &&= JSON.stringify(before.body) === JSON.stringify(now.body);
  }
}
const summary = (list) => {
  const sorted = list.slice().sort((a, b) => a - b);
  return `median ${sorted[2].toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[4].toFixed(0)} ms`;
};
console.log(
  `7-day KPI query (${line.stations.length} stations, ~${Math.round((week / 1000 / historyEveryS) * line.stations.length)} intervals): ${summary(times.current)}`,
);
if (older) {
  console.log(
    `  baseline server ${baselineServer}, same database, alternating: ${summary(times.old)}; answers ${same ? 'identical' : 'DIFFER'}`,
  );
  await older.stop({ dropSchema: false });
} else {
  console.log(
    '  (no KPI baseline in this run: pass --baseline-server <older build>/server/dist/main.js with DATABASE_URL)',
  );
}
await server.stop({ dropSchema: true });
