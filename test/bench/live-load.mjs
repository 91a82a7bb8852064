#!/usr/bin/env node
// Live load benchmark: 1,000 stations at 1 event/s each (half state changes, half counts) posted to the ingest
// endpoint, 50 socket.io clients each subscribed to 10 lines. (The 7-day KPI query: kpi-query.mjs.)
//
//   node test/bench/live-load.mjs                       (10 minutes of load, after 1 minute of baseline)
//   node test/bench/live-load.mjs --minutes 1 --baseline-minutes 1 --rounds 4   (alternating parts: noisy machines)
//   node test/bench/live-load.mjs --duration 60 --clients 50 --lines 100 --stations-per-line 10
//   node test/bench/live-load.mjs --minutes 14 --baseline-minutes 0 --heap-snapshots 3,13   (then heap-diff.mjs)
//
// Phases, each on a fresh server: a baseline run of the same load with the former fixed-tick coalescing
// (FLOORBOARD_LIVE_FLUSH=interval) for --baseline-minutes (0 skips it), then the measured run with the default
// (leading edge + trailing coalescing) for --minutes (or --duration seconds). Prints per run: server CPU share,
// heap used (start, end, max), publish-to-client latency p50/p99 measured by the clients (client receive time minus
// the event time, stamped when the batch is posted: ingest commit + coalescing + socket) and the messages per
// client. Embedded PGlite and broker unless DATABASE_URL / MQTT_URL are set. Needs `npm run build` (server/dist).
// Prints figures; asserts nothing.
import fs from 'node:fs';
import { io } from 'socket.io-client';
import { BENCH_CALENDAR, ingest, sleep, startServer as startBenchServer } from './bench-server.mjs';

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
// --heap-snapshots 3,13: the measured server writes a heap snapshot at those minutes of the measured run (compare two
// with heap-diff.mjs). Each pauses the server for seconds, so the latency figures of such a run are not the real ones.
const heapSnapshotMinutes = given('heap-snapshots')
  ? args[args.indexOf('--heap-snapshots') + 1].split(',').map(Number)
  : [];
const STATES = ['running', 'running', 'running', 'starved', 'blocked', 'down', 'idle'];

const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

const plant = {
  ...BENCH_CALENDAR,
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

const startServer = (options = {}) => startBenchServer({ plant, ...options });
let seq = 1;

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
    // As the dashboard does: a client that reconnects (the server paused longer than its ping timeout, e.g. for a
    // heap snapshot) subscribes again.
    socket.io.on('reconnect', () => void socket.emitWithAck('subscribe', { lines }));
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
  const snapshotsDue = [...heapSnapshotMinutes];
  latencies.length = 0;
  messages = 0;
  while (Date.now() - started < seconds * 1000) {
    const t = Date.now();
    if (snapshotsDue.length > 0 && t - started >= snapshotsDue[0] * 60_000) {
      snapshotsDue.shift();
      // node writes Heap.*.heapsnapshot into the bench's working directory; the server pauses meanwhile.
      process.kill(server.pid, 'SIGUSR2');
      console.log(`  heap snapshot of the server requested at ${((t - started) / 60_000).toFixed(1)} min`);
    }
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
  const fullCollections = (server.fullCollections ?? []).filter((c) => c.at >= started);
  return {
    sent,
    elapsedS,
    slowTicks,
    cpuS,
    heap: heap.filter(Number.isFinite),
    messages,
    latencies,
    started,
    fullCollections,
  };
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
    started: runs[0]?.started ?? 0,
    fullCollections: runs.flatMap((r) => r.fullCollections),
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
  // The lowest sample of each minute is the heap right after a collection: the live set. Flat means no leak.
  const floors = [];
  for (let i = 0; i < r.heap.length; i += 12) floors.push(Math.min(...r.heap.slice(i, i + 12)));
  console.log(
    `  server heap floor per minute (lowest of 12 samples, i.e. after a collection): ${floors.map((h) => h.toFixed(0)).join(' ')} MB`,
  );
  if (r.fullCollections.length > 0) {
    // The heap left by each full collection is the live set: flat over the run means nothing accumulates.
    const list = r.fullCollections.map((c) => `${((c.at - r.started) / 60_000).toFixed(1)} min ${c.heapMb.toFixed(0)}`);
    console.log(`  server heap after each full collection (V8 --trace-gc, mark-compact): ${list.join(', ')} MB`);
  }
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
const server = await startServer({
  traceGc: true,
  nodeArgs: heapSnapshotMinutes.length > 0 ? ['--heapsnapshot-signal=SIGUSR2'] : [],
});
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

await server.stop({ dropSchema: true });
