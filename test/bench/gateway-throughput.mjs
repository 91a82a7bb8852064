#!/usr/bin/env node
// Gateway throughput benchmark: broker → gateway → outbox (fsync) → HTTP → server → PostgreSQL (committed), next
// to a bare mqtt.js subscriber that only parses the same messages from the same broker in the same run.
// Two modes, each printed under its own heading:
// - live: publishers, gateway, bare subscriber, server and database all run at once for `--duration` s. On a
//   2-core machine the publishers take a good share of the CPU, so this rate is bounded by the load generator too.
// - drain: the broker is pre-loaded first (the gateway stopped, its persistent session queueing; a bare
//   subscriber's persistent session queueing the same messages), then the bare subscriber drains its queue alone,
//   then the gateway is started and drains its queue to PostgreSQL alone: the rate the gateway path sustains
//   without publishers competing for the cores, next to the bare ceiling on the same queue.
// Committed figures are rows counted in PostgreSQL (before/after) when DATABASE_URL is set.
//
//   npm run bench:gateway -- --duration 60                 (default 30 s per protocol; --mode live|drain|both)
//   npm run bench:gateway -- --only json --profile /tmp/prof   (CPU profiles of gateway and server)
//   npm run bench:gateway -- --mode drain --messages 400000    (messages queued per protocol for the drain)
//   npm run bench:gateway -- --gateway-node-options --max-semi-space-size=32   (V8 flags for the gateway process)
//   node test/bench/gateway-soak.mjs --minutes 5           (the memory run: steady rate, RSS/heap per minute)
//
// Broker: MQTT_URL, else a private tuned Mosquitto it starts itself, else the server's embedded aedes.
// Database: DATABASE_URL (own schema, dropped afterwards), else embedded PGlite. Needs `npm run build`.
// Prints figures, including CPU time per event of the gateway and the server, which is a steadier measure
// than events/s on a machine shared with other work; asserts nothing.
import mqtt from 'mqtt';
import sparkplugPayload from 'sparkplug-payload';
import proto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import {
  cpuSeconds,
  cpuSecondsOf,
  machineCpuSeconds,
  metric,
  parseArgs,
  rssMb,
  sleep,
  startBroker,
  startSystem,
} from './gateway-bench-support.mjs';

const arg = parseArgs();
const durationS = Number(arg('duration', '30'));
const only = arg('only', 'both');
const mode = arg('mode', 'both');
const drainMessages = Number(arg('messages', '300000'));
const publishers = Number(arg('publishers', '8'));
const window = Number(arg('window', '2000'));
const inflight = Number(arg('inflight', '5000'));
const profileDir = arg('profile', undefined);
const gatewayNodeOptions = arg('gateway-node-options', undefined);
const spb = sparkplugPayload.get('spBv1.0');
const Payload = proto.org.eclipse.tahu.protobuf.Payload;

const broker = await startBroker({ maxInflight: inflight });
const system = await startSystem({
  brokerUrl: broker.url,
  profileDir,
  gatewayEnv: gatewayNodeOptions ? { NODE_OPTIONS: gatewayNodeOptions } : {},
});
const { server, mqttUrl } = system;
const site = `bench${randomBytes(3).toString('hex')}`;
console.log(
  `broker: ${broker.label}; database: ${system.database}; mode ${mode}; live ${durationS} s per protocol, drain ${drainMessages} messages per protocol; ${publishers} publishers, window ${window}; ${new Date().toISOString()}`,
);

const parseBare = (kind, payload) => (kind === 'json' ? JSON.parse(payload.toString('utf8')) : Payload.decode(payload));
const filterOf = (kind) => (kind === 'json' ? `floorboard/v1/${site}/#` : `spBv1.0/${site}/#`);
const sentNow = () => metric(system.gatewayUrl, 'floorboard_gateway_events_sent_total');

/** Rows committed in PostgreSQL, else (PGlite) the gateway's count of events the server acknowledged. */
async function committedNow(sentBase) {
  const rows = await system.committedRows();
  return rows ?? (await sentNow()) - sentBase;
}

/** Polls until `count()` reaches `target` or stops moving for `stallMs`; returns when it last moved. */
async function waitForProgress(count, target, stallMs = 10_000) {
  let last = await count();
  let movedAt = Date.now();
  while (last < target && Date.now() - movedAt < stallMs) {
    await sleep(500);
    const n = await count();
    if (n !== last) movedAt = Date.now();
    last = n;
  }
  return movedAt;
}

/** Publishes QoS 1 as fast as the broker takes it, with at most `window` unacknowledged per client. */
async function publishFor(kind, { seconds = Infinity, count = Infinity }) {
  const perClient = Math.ceil(count / publishers);
  const runId = randomBytes(2).toString('hex');
  const clients = await Promise.all(
    Array.from({ length: publishers }, (_, i) =>
      mqtt.connectAsync(mqttUrl, {
        protocolVersion: 4,
        clientId: `bench-pub-${site}-${kind}-${runId}-${i}`,
        queueQoSZero: false,
      }),
    ),
  );
  let sent = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c, i) => {
      const node = `line${runId}-${i}`;
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
      while (Date.now() < deadline && total < perClient) {
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

/** Live mode: publishers, gateway and bare subscriber at once. */
async function live(kind) {
  const filter = filterOf(kind);
  const { gateway } = system;
  const bare = await mqtt.connectAsync(mqttUrl, {
    protocolVersion: 4,
    clientId: `bench-bare-${site}-${kind}`,
    clean: true,
  });
  let bareCount = 0;
  bare.on('message', (topic, payload) => {
    parseBare(kind, payload);
    bareCount += 1;
  });
  await bare.subscribeAsync(filter, { qos: 1 });
  const before = await sentNow();
  const rows0 = await committedNow(before);
  const pid = gateway.child.pid;
  const cpu0 = { gateway: cpuSeconds(pid), server: cpuSeconds(server.child.pid), machine: machineCpuSeconds() };
  const samples = [];
  const sampler = setInterval(async () => {
    samples.push({
      t: Date.now(),
      rss: rssMb(pid),
      sent: await sentNow().catch(() => NaN),
    });
  }, 1000);
  const t0 = Date.now();
  const published = await publishFor(kind, { seconds: durationS });
  const pubSeconds = (Date.now() - t0) / 1000;
  const bareAt = bareCount;
  // Until the gateway has everything committed at the server (one event per message; DBIRTH states come on top),
  // or stops making progress.
  const t1 = await waitForProgress(async () => (await sentNow()) - before, published);
  clearInterval(sampler);
  const committed = (await committedNow(before)) - rows0;
  const machine = machineCpuSeconds();
  const usPerEvent = (cpu) => ((cpu * 1e6) / Math.max(1, committed)).toFixed(0);
  const gatewayCpu = cpuSeconds(pid) - cpu0.gateway;
  const serverCpu = cpuSeconds(server.child.pid) - cpu0.server;
  const busyCores = (machine.busy - cpu0.machine.busy) / ((t1 - t0) / 1000);
  await bare.endAsync();
  const e2eRate = committed / ((t1 - t0) / 1000);
  const bareRate = bareAt / pubSeconds;
  const rss = samples.map((s) => s.rss).filter(Number.isFinite);
  console.log(
    [
      `[live] ${kind.padEnd(9)} published ${published} in ${pubSeconds.toFixed(1)} s (${(published / pubSeconds).toFixed(0)}/s)`,
      `  end-to-end committed ${committed} events${system.database.startsWith('PostgreSQL') ? ' (rows counted in PostgreSQL)' : ''}, ${e2eRate.toFixed(0)} events/s (until the last commit, ${((t1 - t0) / 1000).toFixed(1)} s)`,
      `  bare mqtt.js subscriber parsed ${bareAt} messages, ${bareRate.toFixed(0)}/s   → gateway at ${((100 * e2eRate) / bareRate).toFixed(0)} % of it`,
      `  CPU per committed event: gateway ${usPerEvent(gatewayCpu)} µs (one core → ~${(committed / Math.max(gatewayCpu, 1e-9)).toFixed(0)} events/s), server ${usPerEvent(serverCpu)} µs (its process; PostgreSQL not counted)`,
      `  whole machine busy ${busyCores.toFixed(2)} of ${os.cpus().length} cores on average (bench, broker, database and any other work)`,
      `  gateway RSS start ${rss[0]?.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB, end ${rss.at(-1)?.toFixed(0)} MB`,
    ].join('\n'),
  );
  return { kind, published, committed, e2eRate, bareRate, rss };
}

/**
 * Drain mode: queue `drainMessages` at the broker for the (stopped) gateway's session and a bare subscriber's
 * session, then time each draining its queue alone: the bare one parsing, the gateway committing to the database.
 */
async function drain(kind) {
  const filter = filterOf(kind);
  const bareOptions = { protocolVersion: 4, clientId: `bench-bare-drain-${site}-${kind}`, clean: false };
  const register = await mqtt.connectAsync(mqttUrl, bareOptions);
  await register.subscribeAsync(filter, { qos: 1 });
  await register.endAsync();
  await system.gateway.stop(); // its session (clean: false) stays at the broker and queues
  const rows0 = (await system.committedRows()) ?? 0;

  const tp = Date.now();
  const published = await publishFor(kind, { count: drainMessages });
  const pubSeconds = (Date.now() - tp) / 1000;

  // The bare ceiling: the same queue, read and parsed by plain mqtt.js (QoS 1, acknowledged as read).
  let bareCount = 0;
  const tb = Date.now();
  const bare = mqtt.connect(mqttUrl, bareOptions);
  bare.on('message', (topic, payload) => {
    parseBare(kind, payload);
    bareCount += 1;
  });
  const bareDone = await waitForProgress(async () => bareCount, published, 3000);
  await bare.endAsync();
  // A clean connect with the same id discards the session, so it queues nothing more.
  await (await mqtt.connectAsync(mqttUrl, { ...bareOptions, clean: true })).endAsync();
  const bareRate = bareCount / ((bareDone - tb) / 1000);

  // The gateway: started now, it resumes its session and drains the queue to the database.
  const machine0 = machineCpuSeconds();
  const server0 = cpuSeconds(server.child.pid);
  const postgres0 = cpuSecondsOf('postgres');
  const broker0 = cpuSeconds(broker.pid);
  const t0 = Date.now();
  await system.startGateway();
  const pid = system.gateway.child.pid;
  const rss = [];
  const depths = [];
  let readAllAt = null; // when the gateway had read (and stored) every queued message
  const sampler = setInterval(async () => {
    rss.push(rssMb(pid));
    const [read, depth] = await Promise.all([
      metric(system.gatewayUrl, 'floorboard_gateway_messages_total'),
      metric(system.gatewayUrl, 'floorboard_gateway_outbox_depth'),
    ]).catch(() => [NaN, NaN]);
    depths.push(depth);
    if (readAllAt === null && read >= published) readAllAt = Date.now();
  }, 1000);
  const t1 = await waitForProgress(sentNow, published);
  clearInterval(sampler);
  const gatewayCpu = cpuSeconds(pid);
  const serverCpu = cpuSeconds(server.child.pid) - server0;
  const postgresCpu = cpuSecondsOf('postgres') - postgres0;
  const brokerCpu = cpuSeconds(broker.pid) - broker0;
  const busyCores = (machineCpuSeconds().busy - machine0.busy) / ((t1 - t0) / 1000);
  // Without PostgreSQL: what the restarted gateway (its counters start at zero) had acknowledged by the server.
  const committed = ((await system.committedRows()) ?? (await sentNow())) - rows0;
  const rate = committed / ((t1 - t0) / 1000);
  // A sum over processes goes wrong when one of them exits meanwhile (its CPU time leaves the sum).
  const usPerEvent = (cpu) => (cpu >= 0 ? ((cpu * 1e6) / Math.max(1, committed)).toFixed(0) : 'n/a');
  console.log(
    [
      `[drain] ${kind.padEnd(9)} queued ${published} messages at the broker in ${pubSeconds.toFixed(1)} s (${(published / pubSeconds).toFixed(0)}/s, nobody reading)`,
      `  bare mqtt.js subscriber drained and parsed ${bareCount} of them, ${bareRate.toFixed(0)}/s`,
      `  gateway drained to the database: ${committed} events committed${system.database.startsWith('PostgreSQL') ? ' (rows counted in PostgreSQL)' : ''} in ${((t1 - t0) / 1000).toFixed(1)} s (from the gateway process start), ${rate.toFixed(0)} events/s   → ${((100 * rate) / bareRate).toFixed(0)} % of the bare drain`,
      `  CPU per committed event: gateway ${usPerEvent(gatewayCpu)} µs (whole process, start-up included; one core → ~${(committed / Math.max(gatewayCpu, 1e-9)).toFixed(0)} events/s), server ${usPerEvent(serverCpu)} µs, PostgreSQL ${usPerEvent(postgresCpu)} µs (every postgres process, other work included), broker ${usPerEvent(brokerCpu)} µs`,
      `  stages: the gateway had read and stored every message after ${readAllAt === null ? '?' : ((readAllAt - t0) / 1000).toFixed(1)} s (±1 s); outbox depth max ${Math.max(...depths.filter(Number.isFinite))}`,
      `  whole machine busy ${busyCores.toFixed(2)} of ${os.cpus().length} cores on average during the gateway drain`,
      `  gateway RSS max ${Math.max(...rss.filter(Number.isFinite)).toFixed(0)} MB, end ${rss.at(-1)?.toFixed(0)} MB`,
    ].join('\n'),
  );
}

try {
  const kinds = ['json', 'sparkplug'].filter((k) => only === 'both' || only === k);
  if (mode === 'both' || mode === 'live') for (const kind of kinds) await live(kind);
  if (mode === 'both' || mode === 'drain') for (const kind of kinds) await drain(kind);
  const heap = await metric(system.gatewayUrl, 'nodejs_heap_size_used_bytes');
  console.log(`gateway heap used at the end ${(heap / 1024 / 1024).toFixed(0)} MB`);
} finally {
  await system.stop();
  await broker.stop();
}
