#!/usr/bin/env node
// Gateway throughput benchmark: broker → gateway → outbox → server → PostgreSQL (committed), next to a bare
// mqtt.js subscriber that only parses the same messages from the same broker in the same run.
//
//   npm run bench:gateway -- --duration 60            (default 30 s per protocol)
//   npm run bench:gateway -- --duration 300 --only json   (the 5-minute memory check)
//
// Embedded PostgreSQL (PGlite) and the server's embedded broker unless DATABASE_URL / MQTT_URL are set.
// Needs `npm run build`. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import sparkplugPayload from 'sparkplug-payload';
import proto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const durationS = Number(arg('duration', '30'));
const only = arg('only', 'both');
const publishers = Number(arg('publishers', '2'));
const window = Number(arg('window', '500'));
const spb = sparkplugPayload.get('spBv1.0');
const Payload = proto.org.eclipse.tahu.protobuf.Payload;

const children = new Set();
// Children never outlive the bench, also when it fails half-way.
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

function run(script, env, name) {
  const child = spawn(process.execPath, [path.join(ROOT, script)], {
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

function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'gm'))].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-'));
const token = `bench-${randomBytes(8).toString('hex')}`;
const schema = process.env.DATABASE_URL ? `bench_${randomBytes(4).toString('hex')}` : undefined;
const server = run(
  'server/dist/main.js',
  {
    PORT: '0',
    HOST: '127.0.0.1',
    MQTT_PORT: '0',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_SCHEMA: schema,
    MQTT_URL: process.env.MQTT_URL,
    FLOORBOARD_DATA_DIR: dataDir,
    FLOORBOARD_ADMIN_PASSWORD: 'bench-admin-pass',
    FLOORBOARD_INGEST_TOKEN: token,
    LOG_LEVEL: 'info',
  },
  'server',
);
const ready = await server.waitFor((e) => e.msg === 'server ready');
const httpUrl = String(ready.http);
const mqttUrl = process.env.MQTT_URL ?? String(ready.mqtt);
const gatewayId = `gw-bench-${randomBytes(3).toString('hex')}`;
const gateway = run(
  'edge-gateway/dist/main.js',
  {
    MQTT_URL: mqttUrl,
    FLOORBOARD_SERVER_URL: httpUrl,
    FLOORBOARD_INGEST_TOKEN: token,
    GATEWAY_ID: gatewayId,
    GATEWAY_DATA_DIR: path.join(dataDir, 'gateway'),
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'info',
  },
  'gateway',
);
const gwReady = await gateway.waitFor((e) => e.msg === 'gateway ready', 30_000);
const gwUrl = `http://127.0.0.1:${gwReady.port}`;
const site = `bench${randomBytes(3).toString('hex')}`;
console.log(
  `broker ${mqttUrl}  database ${process.env.DATABASE_URL ? 'external' : 'embedded PGlite'}  duration ${durationS}s per protocol`,
);

/** Publishes QoS 1 as fast as the broker takes it, with at most `window` unacknowledged per client. */
async function publishFor(kind, seconds) {
  const clients = await Promise.all(
    Array.from({ length: publishers }, (_, i) =>
      mqtt.connectAsync(mqttUrl, {
        protocolVersion: 4,
        clientId: `bench-pub-${site}-${kind}-${i}`,
        queueQoSZero: false,
      }),
    ),
  );
  let sent = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c, i) => {
      const node = `line${i}`;
      let seq = 0;
      const nextSeq = () => seq++ % 256;
      let total = 0;
      if (kind === 'sparkplug') {
        const bd = { name: 'bdSeq', type: 'UInt64', value: 0 };
        c.publish(
          `spBv1.0/${site}/NBIRTH/${node}`,
          Buffer.from(spb.encodePayload({ timestamp: Date.now(), seq: nextSeq(), metrics: [bd] })),
          { qos: 1 },
        );
        for (let d = 0; d < 10; d++) {
          await c.publishAsync(
            `spBv1.0/${site}/DBIRTH/${node}/st${d}`,
            Buffer.from(
              spb.encodePayload({
                timestamp: Date.now(),
                seq: nextSeq(),
                metrics: [
                  { name: 'State', alias: 1 + d * 10, type: 'Int32', value: 6 },
                  { name: 'GoodCount', alias: 2 + d * 10, type: 'UInt32', value: 0 },
                ],
              }),
            ),
            { qos: 1 },
          );
        }
      }
      const counters = new Array(10).fill(0);
      let inflight = 0;
      let wake = null;
      let d = 0;
      while (Date.now() < deadline) {
        if (inflight >= window) {
          await new Promise((r) => (wake = r));
          continue;
        }
        d = (d + 1) % 10;
        let topic;
        let payload;
        if (kind === 'json') {
          topic = `floorboard/v1/${site}/${node}/st${d}/count`;
          payload = `{"ts":${Date.now()},"good":1,"scrap":0}`;
        } else {
          counters[d] += 1;
          topic = `spBv1.0/${site}/DDATA/${node}/st${d}`;
          payload = Payload.encode({
            timestamp: Date.now(),
            seq: nextSeq(),
            metrics: [{ alias: 2 + d * 10, intValue: counters[d], timestamp: Date.now() }],
          }).finish();
        }
        inflight += 1;
        sent += 1;
        total += 1;
        c.publish(topic, payload, { qos: 1 }, () => {
          inflight -= 1;
          const w = wake;
          wake = null;
          w?.();
        });
        if (total % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      while (inflight > 0) await new Promise((r) => (wake = r));
    }),
  );
  await Promise.all(clients.map((c) => c.endAsync()));
  return sent;
}

async function bench(kind) {
  const filter = kind === 'json' ? `floorboard/v1/${site}/#` : `spBv1.0/${site}/#`;
  const bare = await mqtt.connectAsync(mqttUrl, {
    protocolVersion: 4,
    clientId: `bench-bare-${site}-${kind}`,
    clean: true,
  });
  let bareCount = 0;
  bare.on('message', (topic, payload) => {
    if (kind === 'json') JSON.parse(payload.toString('utf8'));
    else Payload.decode(payload);
    bareCount += 1;
  });
  await bare.subscribeAsync(filter, { qos: 1 });
  const before = await metric(gwUrl, 'floorboard_gateway_events_sent_total');
  const pid = gateway.child.pid;
  const samples = [];
  const sampler = setInterval(async () => {
    samples.push({
      t: Date.now(),
      rss: rssMb(pid),
      sent: await metric(gwUrl, 'floorboard_gateway_events_sent_total').catch(() => NaN),
    });
  }, 1000);
  const t0 = Date.now();
  const published = await publishFor(kind, durationS);
  const pubSeconds = (Date.now() - t0) / 1000;
  const bareAt = bareCount;
  // Wait until the gateway has everything committed at the server (or stops making progress).
  const expected = kind === 'json' ? published : published; // one event per message (DBIRTH states excepted)
  let last = -1;
  let stuck = 0;
  while (true) {
    const n = (await metric(gwUrl, 'floorboard_gateway_events_sent_total')) - before;
    if (n >= expected || stuck > 20) break;
    stuck = n === last ? stuck + 1 : 0;
    last = n;
    await new Promise((r) => setTimeout(r, 500));
  }
  const t1 = Date.now();
  clearInterval(sampler);
  const committed = (await metric(gwUrl, 'floorboard_gateway_events_sent_total')) - before;
  await bare.endAsync();
  const e2eRate = committed / ((t1 - t0) / 1000);
  const bareRate = bareAt / pubSeconds;
  const rss = samples.map((s) => s.rss).filter(Number.isFinite);
  console.log(
    [
      `${kind.padEnd(9)} published ${published} in ${pubSeconds.toFixed(1)} s (${(published / pubSeconds).toFixed(0)}/s)`,
      `  end-to-end committed ${committed} events, ${e2eRate.toFixed(0)} events/s (until the last commit, ${((t1 - t0) / 1000).toFixed(1)} s)`,
      `  bare mqtt.js subscriber parsed ${bareAt} messages, ${bareRate.toFixed(0)}/s   → gateway at ${((100 * e2eRate) / bareRate).toFixed(0)} % of it`,
      `  gateway RSS start ${rss[0]?.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB, end ${rss.at(-1)?.toFixed(0)} MB`,
    ].join('\n'),
  );
  return { kind, published, committed, e2eRate, bareRate, rss };
}

try {
  if (only === 'both' || only === 'json') await bench('json');
  if (only === 'both' || only === 'sparkplug') await bench('sparkplug');
  const heap = await metric(gwUrl, 'nodejs_heap_size_used_bytes');
  console.log(`gateway heap used at the end ${(heap / 1024 / 1024).toFixed(0)} MB`);
} finally {
  await gateway.stop();
  await server.stop();
  if (schema) {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
