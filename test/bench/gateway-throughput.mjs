#!/usr/bin/env node
// Gateway throughput benchmark: broker → gateway → outbox (fsync) → HTTP → server → PostgreSQL (committed), next
// to a bare mqtt.js subscriber that only parses the same messages from the same broker in the same run.
//
//   npm run bench:gateway -- --duration 60                 (default 30 s per protocol)
//   npm run bench:gateway -- --only json --profile /tmp/prof   (CPU profiles of gateway and server)
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
  machineCpuSeconds,
  metric,
  parseArgs,
  rssMb,
  startBroker,
  startSystem,
} from './gateway-bench-support.mjs';

const arg = parseArgs();
const durationS = Number(arg('duration', '30'));
const only = arg('only', 'both');
const publishers = Number(arg('publishers', '8'));
const window = Number(arg('window', '2000'));
const profileDir = arg('profile', undefined);
const spb = sparkplugPayload.get('spBv1.0');
const Payload = proto.org.eclipse.tahu.protobuf.Payload;

const broker = await startBroker();
const system = await startSystem({ brokerUrl: broker.url, profileDir });
const { gateway, server, gatewayUrl: gwUrl, mqttUrl } = system;
const site = `bench${randomBytes(3).toString('hex')}`;
console.log(
  `broker: ${broker.label}; database: ${system.database}; ${durationS} s per protocol, ${publishers} publishers, window ${window}; ${new Date().toISOString()}`,
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
  const cpu0 = { gateway: cpuSeconds(pid), server: cpuSeconds(server.child.pid), machine: machineCpuSeconds() };
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
      `${kind.padEnd(9)} published ${published} in ${pubSeconds.toFixed(1)} s (${(published / pubSeconds).toFixed(0)}/s)`,
      `  end-to-end committed ${committed} events, ${e2eRate.toFixed(0)} events/s (until the last commit, ${((t1 - t0) / 1000).toFixed(1)} s)`,
      `  bare mqtt.js subscriber parsed ${bareAt} messages, ${bareRate.toFixed(0)}/s   → gateway at ${((100 * e2eRate) / bareRate).toFixed(0)} % of it`,
      `  CPU per committed event: gateway ${usPerEvent(gatewayCpu)} µs (one core → ~${(committed / Math.max(gatewayCpu, 1e-9)).toFixed(0)} events/s), server ${usPerEvent(serverCpu)} µs (its process; PostgreSQL not counted)`,
      `  whole machine busy ${busyCores.toFixed(2)} of ${os.cpus().length} cores on average (bench, broker, database and any other work)`,
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
  await system.stop();
  await broker.stop();
}
