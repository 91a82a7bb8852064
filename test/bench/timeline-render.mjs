#!/usr/bin/env node
// Timeline render benchmark: a week of scripted state intervals for one line (12 stations, a state change every
// ~30 s, about 240,000 intervals) drawn by the dashboard's StateTimelineChart in Debian's Chromium
// (playwright-core), from the data arriving (a JSON string handed to the page) to the chart drawn and on screen.
// Each round draws: the payload as the server sends it to the line view (`?resolutionMs` for 4000 pixels), merged
// again by the chart for its width (`server+chart`); the full payload downsampled by the chart alone
// (`downsampled`); and, as the baseline in the same run, every interval drawn (`full`); plus a chart without
// intervals (the fixed cost of mounting one).
//
//   node test/bench/timeline-render.mjs                          (3 rounds, 1920×1080)
//   node test/bench/timeline-render.mjs --rounds 5 --stations 12 --days 7 --width 1280
//
// Builds a small page with Vite (the chart and the dashboard's stylesheet), serves it on a free port and prints
// a table of figures; asserts nothing. Needs /usr/bin/chromium (or CHROMIUM_PATH).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return Number(i >= 0 ? args[i + 1] : fallback);
};
const rounds = arg('rounds', 3);
const stationCount = arg('stations', 12);
const days = arg('days', 7);
const width = arg('width', 1920);

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same week. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A week of intervals per station: 10–50 s long (30 s on average), mostly running, as `GET …/timeline` answers. */
function scriptedTimeline() {
  const from = Date.parse('2026-03-02T05:00:00Z');
  const to = from + days * 86_400_000;
  const states = ['running', 'running', 'running', 'running', 'starved', 'blocked', 'down', 'idle', 'changeover'];
  const next = random(42);
  const stations = [];
  for (let s = 0; s < stationCount; s++) {
    const intervals = [];
    let t = from;
    let previous = null;
    while (t < to) {
      let state = states[Math.floor(next() * states.length)];
      if (state === previous) state = state === 'running' ? 'starved' : 'running';
      const end = Math.min(to, t + 10_000 + Math.floor(next() * 40_000));
      intervals.push({ state, reason: state === 'down' ? 'jam' : null, start: t, end });
      previous = state;
      t = end;
    }
    stations.push({ station: `station-${String(s + 1).padStart(2, '0')}`, intervals });
  }
  const iso = (ms) => new Date(ms).toISOString();
  return { line: 'bench', from: iso(from), to: iso(to), analysedTo: iso(to), stations };
}

async function buildPage(outDir) {
  await build({
    root: path.join(HERE, 'timeline-render'),
    logLevel: 'warn',
    plugins: [vue()],
    resolve: { alias: { '@floorboard/shared': path.join(ROOT, 'shared/src/index.ts') } },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  });
}

function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((req, res) => {
    const file = path.join(dir, req.url === '/' ? 'index.html' : decodeURIComponent(req.url.split('?')[0]));
    if (!file.startsWith(dir) || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorboard-timeline-bench-'));
await buildPage(outDir);
const server = await serve(outDir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width, height: 1080 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('crash', () => console.error('the page crashed'));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('body[data-ready="true"]');
  const timeline = scriptedTimeline();
  const payload = JSON.stringify(timeline);
  // The fixed cost of mounting a chart at all: the same stations without intervals.
  const empty = JSON.stringify({ ...timeline, stations: timeline.stations.map((s) => ({ ...s, intervals: [] })) });
  // What the line view really receives: the server merges below a 4000-pixel resolution (`?resolutionMs`).
  const coarse = await page.evaluate((p) => globalThis.benchServerResolution(p, 4000), payload);
  const results = { 'server+chart': [], downsampled: [], full: [], 'no intervals': [] };
  // Alternate the order per round so neither mode always runs on a warmer page.
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [true, false] : [false, true];
    for (const downsample of order) {
      const result = await page.evaluate(([p, d]) => globalThis.benchRender(p, d), [payload, downsample]);
      results[downsample ? 'downsampled' : 'full'].push(result);
    }
    results['no intervals'].push(await page.evaluate((p) => globalThis.benchRender(p, true), empty));
    results['server+chart'].push(await page.evaluate((p) => globalThis.benchRender(p, true), coarse));
  }
  const chromiumVersion = browser.version();
  console.log(
    `timeline render: ${stationCount} stations × ${days} days, viewport ${width}×1080, Chromium ${chromiumVersion}`,
  );
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const size = (payload.length / 1e6).toFixed(1);
  console.log(`payload ${size} MB, ${os.cpus().length} CPUs (load ${load}), ${rounds} rounds`);
  const coarseSize = (coarse.length / 1e6).toFixed(2);
  console.log(`server+chart: the payload as the server sends it at ?resolutionMs (${coarseSize} MB)`);
  console.log('mode          intervals  drawn    median ms  min ms   max ms   (JSON.parse median ms)');
  for (const [mode, list] of Object.entries(results)) {
    const ms = list.map((r) => r.ms);
    console.log(
      [
        mode.padEnd(13),
        String(list[0].received).padEnd(10),
        String(list[0].drawn).padEnd(8),
        median(ms).toFixed(0).padEnd(10),
        Math.min(...ms)
          .toFixed(0)
          .padEnd(8),
        Math.max(...ms)
          .toFixed(0)
          .padEnd(8),
        `(${median(list.map((r) => r.parseMs)).toFixed(0)})`,
      ].join(' '),
    );
  }
} finally {
  await browser.close();
  server.close();
  fs.rmSync(outDir, { recursive: true, force: true });
}
