#!/usr/bin/env node
// Wall render benchmark: a 12-line × 12-station plant in which every station changes state once a second, shown
// on the wall screen (`/wall?kiosk`, signed in with a display token) in Debian's Chromium for N minutes.
//
//   node test/bench/wall-render.mjs                 (5 minutes of load)
//   node test/bench/wall-render.mjs --minutes 1 --lines 12 --stations 12 --width 1920 --height 1080
//   node test/bench/wall-render.mjs --split-cores   (server and load on CPU 0, Chromium on CPU 1, as when the
//                                                     TV's browser runs on its own hardware; needs taskset)
//
// First a baseline: the same loaded wall for 20 s with no events (only the 1 s clock ticks). Then the load.
// Prints for both: the longest main-thread task after load (PerformanceObserver 'longtask', i.e. > 50 ms) and
// how many there were, frames per second (requestAnimationFrame count per 10 s window: mean and worst window),
// how many tile state changes reached the screen; and the JS heap (CDP, after a forced GC) at the start and end
// of the load, plus unforced samples during it. Embedded PGlite and broker unless DATABASE_URL / MQTT_URL are
// set. Needs `npm run build`. Prints figures; asserts nothing.
//   --trace <file>  also records a Chromium trace of the baseline and of the load's first TRACE_S seconds
//                   (<file>-idle.json, <file>-load.json; open them in DevTools' Performance panel) and prints the
//                   renderer's long tasks with what they spent their time on, plus main-thread time per event.
// The functions given to page.evaluate/waitForFunction run in the browser:
/* global document, window, requestAnimationFrame, MutationObserver */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { describeTrace, startTrace, stopTrace } from './trace-long-tasks.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return Number(i >= 0 ? args[i + 1] : fallback);
};
const minutes = arg('minutes', 5);
const lineCount = arg('lines', 12);
const perLine = arg('stations', 12);
const width = arg('width', 1920);
const height = arg('height', 1080);
const splitCores = args.includes('--split-cores');
const traceFile = args.includes('--trace') ? args[args.indexOf('--trace') + 1] : null;
const TRACE_S = 20;
const BASELINE_S = 20;
const WINDOW_MS = 10_000;
const TOKEN = 'bench-ingest-token-0123456789abcdef';
const PASSWORD = 'bench-admin-password';
// Every tick a station moves to the next of these, so each event is a real state change.
const STATES = ['running', 'starved', 'running', 'blocked', 'running', 'down', 'running', 'idle'];

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-wall-bench-'));
const NAMES = [
  'Press',
  'Weld',
  'Paint',
  'Assemble',
  'Test',
  'Pack',
  'Saw',
  'Mill',
  'Drill',
  'Deburr',
  'Inspect',
  'Label',
];
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
    key: `line-${l + 1}`,
    name: `Line ${l + 1}`,
    site: 'bench',
    idealCycleTimeSec: 30,
    stations: Array.from({ length: perLine }, (_, s) => ({
      key: `st-${s + 1}`,
      name: `${NAMES[s % NAMES.length]}${s >= NAMES.length ? ` ${s + 1}` : ''}`,
      idealCycleTimeSec: 30,
    })),
  })),
};
fs.writeFileSync(path.join(dataDir, 'plant.json'), JSON.stringify(plant));

const schema = process.env.DATABASE_URL ? `wallbench_${Date.now()}` : undefined;
const port = await freePort();
const server = spawn(process.execPath, [path.join(ROOT, 'server/dist/main.js')], {
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    MQTT_PORT: String(await freePort()),
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
let browser;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', () => server.exitCode === null && server.kill('SIGKILL'));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  const ok = await fetch(`${base}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 900) throw new Error('server did not become ready in 90 s');
  await sleep(100);
}
const api = async (method, url, token, body) => {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
};
const { accessToken } = await api('POST', '/auth/login', null, { username: 'admin', password: PASSWORD });
const { token: displayToken } = await api('POST', '/display-tokens', accessToken, { name: 'wall bench' });

// Load: every 100 ms a tenth of the stations move to their next state (so each station changes once a
// second) and report a good part every other second.
const stations = plant.lines.flatMap((l) => l.stations.map((s) => ({ line: l.key, station: s.key, step: 0 })));
let seq = 1;
let sent = 0;
let loadOn = false;
const loadLoop = (async () => {
  let cursor = 0;
  const perTick = Math.ceil(stations.length / 10);
  while (loadOn !== null) {
    const t = Date.now();
    if (loadOn) {
      const events = [];
      for (let k = 0; k < perTick; k++) {
        const s = stations[cursor++ % stations.length];
        s.step += 1;
        events.push({
          seq: seq++,
          line: s.line,
          station: s.station,
          ts: t,
          type: 'state',
          state: STATES[s.step % STATES.length],
          source: 'floorboard-json',
        });
        if (s.step % 2 === 0) {
          events.push({
            seq: seq++,
            line: s.line,
            station: s.station,
            ts: t,
            type: 'count',
            good: 1,
            scrap: 0,
            source: 'floorboard-json',
          });
        }
      }
      const res = await fetch(`${base}/api/v1/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({
          gatewayId: 'wall-bench',
          events: events.map((e) => ({ gatewayId: 'wall-bench', ...e })),
        }),
      });
      if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
      sent += events.length;
    }
    await sleep(Math.max(0, 100 - (Date.now() - t)));
  }
})();

browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
});
if (splitCores) {
  // Every thread of the server and of this process on CPU 0; Chromium's processes (and the renderers they fork
  // later, which inherit the mask) on CPU 1.
  const pin = (cpu, pid) => execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  const children = (pid) => {
    try {
      return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    } catch {
      return ''; // ps exits 1 when there are none
    }
  };
  const descendants = (pid) =>
    children(pid)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .flatMap((child) => [Number(child), ...descendants(child)]);
  pin(0, server.pid);
  pin(0, process.pid);
  // Chromium is this process's child (Playwright launched it); the server is the other child.
  const chromium = descendants(process.pid).filter((pid) => pid !== server.pid);
  if (chromium.length === 0) throw new Error('--split-cores: no Chromium process to pin');
  for (const pid of chromium) pin(1, pid);
  console.log('cores split: server and load on CPU 0, Chromium on CPU 1');
}
const page = await browser.newPage({ viewport: { width, height } });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
/** Main-thread time by kind (CDP Performance metrics, seconds) since the previous call, as ms per second. */
let lastTimes = null;
const mainThreadShare = async () => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const pick = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const now = {
    at: Date.now(),
    script: pick('ScriptDuration'),
    style: pick('RecalcStyleDuration'),
    layout: pick('LayoutDuration'),
    task: pick('TaskDuration'),
  };
  const previous = lastTimes;
  lastTimes = now;
  if (!previous) return null;
  const perSecond = (key) =>
    `${(((now[key] - previous[key]) * 1000) / ((now.at - previous.at) / 1000)).toFixed(0)} ms/s`;
  return {
    task: perSecond('task'),
    script: perSecond('script'),
    style: perSecond('style'),
    layout: perSecond('layout'),
  };
};
/**
 * CPU time (ms per second) of the busiest Chromium renderer's main thread since the previous call, from /proc:
 * unlike task durations it does not grow when a busy machine makes the thread wait for a core. Null without /proc.
 */
let lastRendererCpu = null;
const rendererCpu = () => {
  const ticksPerS = 100; // USER_HZ on Linux
  const now = { at: Date.now(), ticks: new Map() };
  try {
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
        // The main thread's id is the process id; utime and stime are fields 14 and 15 (after the command name).
        const fields = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        now.ticks.set(pid, Number(fields[11]) + Number(fields[12]));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return null;
  }
  const previous = lastRendererCpu;
  lastRendererCpu = now;
  if (!previous) return null;
  let busiest = 0;
  for (const [pid, ticks] of now.ticks) busiest = Math.max(busiest, ticks - (previous.ticks.get(pid) ?? ticks));
  return `${((busiest * 1000) / ticksPerS / ((now.at - previous.at) / 1000)).toFixed(0)} ms/s`;
};
const heapUsed = async (gc) => {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
};

// Every station reports once so no tile is "offline", then the page loads.
loadOn = true;
await sleep(1200);
loadOn = false;
await page.goto(`${base}/wall?kiosk&token=${encodeURIComponent(displayToken)}`);
const tiles = lineCount * perLine;
await page.waitForFunction(
  (count) => document.querySelectorAll('[data-testid="wall-view"] [data-testid^="station-tile-"]').length === count,
  tiles,
  { timeout: 60_000 },
);
await page.waitForSelector('[data-testid="wall-liveness"][data-status="live"]');
const layout = await page.evaluate(() => ({
  rows: document.querySelectorAll('[data-testid^="wall-line-"]').length,
  paged: document.querySelector('[data-testid="wall-page"]') !== null,
  scrolls: document.scrollingElement.scrollHeight > window.innerHeight + 1,
}));
await sleep(2000);

// In-page probes: long tasks, frames per window, tile state changes that reached the DOM.
await page.evaluate((windowMs) => {
  const probe = { longTasks: [], frames: [], changes: 0 };
  window.__wallBench = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
  let count = 0;
  let windowStart = performance.now();
  const frame = (now) => {
    count += 1;
    if (now - windowStart >= windowMs) {
      probe.frames.push((count * 1000) / (now - windowStart));
      count = 0;
      windowStart = now;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver((records) => {
    for (const record of records) if (record.attributeName === 'data-state') probe.changes += 1;
  }).observe(document.querySelector('[data-testid="wall-view"]'), {
    subtree: true,
    attributes: true,
    attributeFilter: ['data-state'],
  });
}, WINDOW_MS);
const takeProbe = () =>
  page.evaluate(() => {
    const probe = window.__wallBench;
    const taken = { longTasks: probe.longTasks, frames: probe.frames, changes: probe.changes };
    probe.longTasks = [];
    probe.frames = [];
    probe.changes = 0;
    return taken;
  });
const summarise = (probe) => ({
  longestTaskMs: probe.longTasks.length ? Math.max(...probe.longTasks).toFixed(0) : 'none over 50',
  longTasks: probe.longTasks.length,
  fpsMean: probe.frames.length ? (probe.frames.reduce((a, b) => a + b, 0) / probe.frames.length).toFixed(1) : 'n/a',
  fpsWorstWindow: probe.frames.length ? Math.min(...probe.frames).toFixed(1) : 'n/a',
  tileStateChanges: probe.changes,
});

console.log(
  `wall-render: ${lineCount} lines × ${perLine} stations, ${width}×${height}, layout ${JSON.stringify(layout)}`,
);
// How busy is this machine? The same frame and long-task probes on an empty page in the same browser, while the
// wall waits in a background tab (which gets no frames): this measures the machine, not the wall.
const blank = await browser.newPage({ viewport: { width, height } });
await blank.setContent('<html><body style="background:#000"></body></html>');
await blank.bringToFront();
const machine = await blank.evaluate(
  (windowMs) =>
    new Promise((resolve) => {
      const longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      let frames = 0;
      const started = performance.now();
      const frame = (now) => {
        frames += 1;
        if (now - started < windowMs) requestAnimationFrame(frame);
        else resolve({ fps: ((frames * 1000) / (now - started)).toFixed(1), longest: Math.max(0, ...longTasks) });
      };
      requestAnimationFrame(frame);
    }),
  WINDOW_MS,
);
console.log(`empty page (10 s, the machine itself): ${machine.fps} fps, longest task ${machine.longest.toFixed(0)} ms`);
await blank.close();
await page.bringToFront();
await takeProbe();

const browserCdp = traceFile ? await browser.newBrowserCDPSession() : null;
/** Prints the traced long tasks and main-thread CPU time by event, from a finished trace. */
const reportTrace = (phase, events) => console.log(describeTrace(`trace ${phase}`, events));

if (browserCdp) await startTrace(browserCdp);
await mainThreadShare();
rendererCpu();
await sleep(BASELINE_S * 1000);
const baseline = {
  ...summarise(await takeProbe()),
  mainThread: await mainThreadShare(),
  rendererMainThreadCpu: rendererCpu(),
};
console.log(`baseline (${BASELINE_S} s, no events):`, baseline);
if (browserCdp) reportTrace('baseline', await stopTrace(browserCdp, `${traceFile}-idle.json`));

const heapStart = await heapUsed(true);
await takeProbe(); // drop the forced GC's own task
await mainThreadShare();
rendererCpu();
const heapSamples = [];
const started = Date.now();
loadOn = true;
const sentBefore = sent;
if (browserCdp) {
  await startTrace(browserCdp);
  await sleep(TRACE_S * 1000);
  reportTrace(`load (first ${TRACE_S} s)`, await stopTrace(browserCdp, `${traceFile}-load.json`));
}
while (Date.now() - started < minutes * 60_000) {
  await sleep(Math.min(30_000, Math.max(1000, started + minutes * 60_000 - Date.now())));
  heapSamples.push(await heapUsed(false));
}
loadOn = false;
const load = {
  ...summarise(await takeProbe()),
  mainThread: await mainThreadShare(),
  rendererMainThreadCpu: rendererCpu(),
};
const elapsedS = (Date.now() - started) / 1000;
const heapEnd = await heapUsed(true);
loadOn = null;
await loadLoop;

console.log(`load (${elapsedS.toFixed(0)} s, ${((sent - sentBefore) / elapsedS).toFixed(0)} events/s ingested):`, load);
console.log(
  `JS heap after GC: start ${mb(heapStart)}, end ${mb(heapEnd)} (${heapEnd >= heapStart ? '+' : ''}${mb(heapEnd - heapStart)})`,
);
console.log(`JS heap during the load (every 30 s, no forced GC): ${heapSamples.map(mb).join(', ')}`);
await cleanup();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
