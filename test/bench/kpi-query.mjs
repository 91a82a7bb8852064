#!/usr/bin/env node
// KPI query benchmark: 7 days of history for one line, then `GET /lines/{key}/kpis` over the whole week.
//
//   DATABASE_URL=postgres://… node test/bench/kpi-query.mjs                   (a state change every 120 s)
//   DATABASE_URL=postgres://… node test/bench/kpi-query.mjs --state-every 2   (the live-load density: 1 event/s
//                                                     per station, half of them state changes; ~6 min of backfill)
//   … --profile /tmp/prof        (CPU profile of the server with rollups)
//
// History: every --state-every seconds each station reports a state (a fixed pseudo-random sequence, so runs are
// comparable), backfilled as historical events through the ingest endpoint; counts once a minute per station
// (the KPI query reads counts per minute, however many events made them). Two servers of this build on the same
// schema: one with KPI rollups (the default), one with FLOORBOARD_KPI_ROLLUPS=off, which computes every window from
// raw history: the baseline. Prints the first query with rollups, cold (the stored rollups are deleted before it,
// as the background refresh may have run during a long backfill: it computes and stores the week's buckets, what a
// user meets right after a backfill), then --repeat queries on each server, one server after the other, with the
// medians, and whether every answer was identical. Real PostgreSQL (DATABASE_URL) is needed for the two servers to
// share the data; with embedded PGlite only the rollup server runs. Needs `npm run build`. Prints figures; asserts
// nothing.
import path from 'node:path';
import pg from 'pg';
import { BENCH_CALENDAR, ingest, startServer } from './bench-server.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const number = (name, fallback) => {
  const value = Number(option(name) ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const stationCount = number('stations', 10);
const stateEveryS = number('state-every', 120);
const days = number('days', 7);
const repeat = number('repeat', 7);
const profileDir = option('profile');
const STATES = ['running', 'running', 'running', 'starved', 'blocked', 'down', 'idle'];

const line = {
  key: 'line-0',
  name: 'Line 0',
  site: 'bench',
  idealCycleTimeSec: 30,
  stations: Array.from({ length: stationCount }, (_, s) => ({
    key: `st-${s}`,
    name: `Station ${s}`,
    idealCycleTimeSec: 30,
  })),
};
const plant = {
  ...BENCH_CALENDAR,
  lines: [line],
};

const server = await startServer({
  plant,
  nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [],
});
console.log(
  `kpi-query: ${stationCount} stations, a state event every ${stateEveryS} s per station, ${days} days, ` +
    `${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite (no raw baseline)'}`,
);

// The window ends an hour ago: every bucket of it has settled.
const span = days * 86_400_000;
const to = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const from = to - span;
let seq = 1;
let backfilled = 0;
const fillStart = Date.now();
let batch = [];
const flush = async () => {
  await ingest(server, batch);
  backfilled += batch.length;
  batch = [];
};
for (let t = from; t < to; t += stateEveryS * 1000) {
  for (const [s, station] of line.stations.entries()) {
    const k = Math.floor(t / 1000) + s * 31;
    batch.push({
      seq: seq++,
      line: line.key,
      station: station.key,
      ts: t + (k % Math.min(7, stateEveryS)) * 1000,
      type: 'state',
      state: STATES[(k * 7919) % STATES.length],
      historical: true,
      source: 'floorboard-json',
    });
  }
  if (t % 60_000 < stateEveryS * 1000) {
    const minute = t - (t % 60_000);
    for (const station of line.stations) {
      batch.push({
        seq: seq++,
        line: line.key,
        station: station.key,
        ts: minute + 30_000,
        type: 'count',
        good: 2,
        scrap: 0,
        historical: true,
        source: 'floorboard-json',
      });
    }
  }
  if (batch.length >= 4000) await flush();
}
if (batch.length > 0) await flush();
const fillS = (Date.now() - fillStart) / 1000;
console.log(`history: ${backfilled} backfilled events in ${fillS.toFixed(1)} s (${(backfilled / fillS).toFixed(0)}/s)`);

await server.renewAuth();
const q = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
const kpiOnce = async (target) => {
  const t = performance.now();
  const res = await fetch(`${target.base}/api/v1/lines/${line.key}/kpis?${q}`, { headers: target.auth });
  if (!res.ok) throw new Error(`kpis ${res.status}: ${await res.text()}`);
  const body = await res.json();
  return { ms: performance.now() - t, body };
};
const timeline = await fetch(`${server.base}/api/v1/lines/${line.key}/timeline?${q}`, { headers: server.auth }).then(
  (r) => r.json(),
);
const intervals = timeline.stations.reduce((n, s) => n + s.intervals.length, 0);

const raw = process.env.DATABASE_URL
  ? await startServer({ plant, schema: server.schema, env: { FLOORBOARD_KPI_ROLLUPS: 'off' } })
  : null;
// Cold: the background refresh may have stored part of the week during a long backfill; start from none.
if (process.env.DATABASE_URL) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`DELETE FROM "${server.schema}".kpi_rollups`);
  await client.end();
}
const first = await kpiOnce(server);
console.log(
  `${days}-day KPI query over ${intervals} merged intervals: first query with rollups (computes and stores ` +
    `${Math.round(span / 900_000)} buckets): ${first.ms.toFixed(0)} ms`,
);
// The two servers in turn, not alternating: a raw week of dense history keeps a core busy (garbage collection,
// PostgreSQL) for a while after it answers, which would land on the next rollup query.
const times = { rollups: [], raw: [] };
let same = true;
for (let i = 0; i < repeat; i++) {
  const withRollups = await kpiOnce(server);
  times.rollups.push(withRollups.ms);
  same &&= JSON.stringify(withRollups.body) === JSON.stringify(first.body);
}
for (let i = 0; raw && i < repeat; i++) {
  const fromRaw = await kpiOnce(raw);
  times.raw.push(fromRaw.ms);
  same &&= JSON.stringify(fromRaw.body) === JSON.stringify(first.body);
}
const summary = (list) => {
  const sorted = list.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms`;
};
console.log(`  with rollups (stored buckets + raw edges): ${summary(times.rollups)} (${repeat} runs)`);
if (raw) {
  console.log(
    `  baseline, same build with FLOORBOARD_KPI_ROLLUPS=off (raw history), after them: ${summary(times.raw)}`,
  );
  console.log(`  answers ${same ? 'identical' : 'DIFFER'} (every run, both servers)`);
  await raw.stop({ dropSchema: false });
} else {
  console.log(`  answers ${same ? 'identical' : 'DIFFER'} across runs`);
}
await server.stop();
