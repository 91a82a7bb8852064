#!/usr/bin/env node
// Gateway memory soak: Floorboard JSON at a steady rate through the whole path (broker → gateway → outbox →
// server → PostgreSQL) for `--minutes` (default 5); prints the gateway's RSS and V8 heap at the start, every
// minute and at the end, with what was published and committed meanwhile.
//
//   node test/bench/gateway-soak.mjs --minutes 5 --rate 5000
//   … --gateway-heap-mb 64     caps the gateway's V8 old space: a leak then ends in an out-of-memory crash
//                              instead of a slowly rising figure that lazy garbage collection could also explain
//
// Same broker and database choice as gateway-throughput.mjs. Needs `npm run build`. Asserts nothing.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { cpuSeconds, metric, parseArgs, rssMb, sleep, startBroker, startSystem } from './gateway-bench-support.mjs';

const arg = parseArgs();
const minutes = Number(arg('minutes', '5'));
const rate = Number(arg('rate', '5000'));
const stations = Number(arg('stations', '100'));
const heapCapMb = arg('gateway-heap-mb', undefined);

const broker = await startBroker();
const system = await startSystem({
  brokerUrl: broker.url,
  gatewayEnv: heapCapMb ? { NODE_OPTIONS: `--max-old-space-size=${heapCapMb}` } : {},
});
const { gateway, gatewayUrl } = system;
const site = `soak${randomBytes(3).toString('hex')}`;
console.log(
  `broker: ${broker.label}; database: ${system.database}; ${rate} events/s over ${stations} stations for ${minutes} min` +
    `${heapCapMb ? `; gateway old space capped at ${heapCapMb} MB` : ''}; ${new Date().toISOString()}`,
);

const client = await mqtt.connectAsync(system.mqttUrl, {
  protocolVersion: 4,
  clientId: `soak-pub-${site}`,
  queueQoSZero: false,
});
let published = 0;
let inflight = 0;
const started = Date.now();
const deadline = started + minutes * 60_000;
// 50 ticks a second, each publishing its share of the rate (QoS 1); a tick is skipped while over 5000 unacknowledged.
const ticker = setInterval(() => {
  if (Date.now() >= deadline || inflight > 5000) return;
  const due = Math.floor(((Date.now() - started) / 1000) * rate) - published;
  for (let i = 0; i < due; i++) {
    const n = published++;
    const topic = `floorboard/v1/${site}/line${n % 10}/st${n % stations}/count`;
    inflight += 1;
    client.publish(topic, `{"ts":${Date.now()},"good":1,"scrap":0}`, { qos: 1 }, () => (inflight -= 1));
  }
}, 20);

const pid = gateway.child.pid;
const cpu0 = cpuSeconds(pid);
const sent0 = await metric(gatewayUrl, 'floorboard_gateway_events_sent_total');
const sample = async (label) => {
  const heap = await metric(gatewayUrl, 'nodejs_heap_size_used_bytes');
  const depth = await metric(gatewayUrl, 'floorboard_gateway_outbox_depth');
  const sent = (await metric(gatewayUrl, 'floorboard_gateway_events_sent_total')) - sent0;
  const cpu = cpuSeconds(pid) - cpu0;
  const row = { label, rssMb: rssMb(pid), heapMb: heap / 1024 / 1024, published, committed: sent, depth, cpu };
  console.log(
    `${label.padEnd(6)} RSS ${row.rssMb.toFixed(0).padStart(4)} MB  heap ${row.heapMb.toFixed(0).padStart(4)} MB  ` +
      `published ${published}  committed ${sent}  outbox ${depth}  gateway CPU ${cpu.toFixed(1)} s`,
  );
  return row;
};

const rows = [];
try {
  rows.push(await sample('start'));
  for (let m = 1; m <= minutes; m++) {
    await sleep(started + m * 60_000 - Date.now());
    rows.push(await sample(`${m} min`));
  }
  clearInterval(ticker);
  while (inflight > 0) await sleep(100);
  // Let the outbox drain, then the last sample.
  for (let i = 0; i < 120 && (await metric(gatewayUrl, 'floorboard_gateway_outbox_depth')) > 0; i++) await sleep(500);
  rows.push(await sample('end'));
  if (gateway.child.exitCode !== null) console.log(`gateway EXITED with code ${gateway.child.exitCode}`);
  const afterWarmUp = rows.slice(1);
  const rss = afterWarmUp.map((r) => r.rssMb);
  console.log(
    `RSS after the first minute: min ${Math.min(...rss).toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB; ` +
      `committed ${rows.at(-1).committed} of ${published} published (${(rows.at(-1).committed / ((Date.now() - started) / 1000)).toFixed(0)}/s overall)`,
  );
} finally {
  clearInterval(ticker);
  await client.endAsync();
  await system.stop();
  await broker.stop();
}
