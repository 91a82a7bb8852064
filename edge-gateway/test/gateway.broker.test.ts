import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import mqtt, { type MqttClient } from 'mqtt';
import { floorboardTopic, type StationEvent } from '@floorboard/shared';
import { createBackoff } from '../src/backoff.js';
import { defaultInputsConfig, type GatewayConfig } from '../src/config.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';
import { startEmbeddedBroker, startTestBroker, uniqueKey, type TestBroker } from './helpers/broker.js';
import { FakeIngestServer } from './helpers/ingest-server.js';
import { waitFor } from './helpers/wait.js';

// Runs against aedes (embedded) or, when MQTT_URL is set, the real broker; every run uses its own
// site key and gateway id so concurrent runs on a shared Mosquitto never see each other.
const TOKEN = 'test-ingest-token';
const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);

let broker: TestBroker;
let ingest: FakeIngestServer;
let publisher: MqttClient;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  ingest = await new FakeIngestServer(TOKEN).start();
  publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: uniqueKey('test-pub') });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await publisher.endAsync();
  await ingest.stop();
  await broker.stop();
});

interface Harness {
  site: string;
  config: GatewayConfig;
  start(): Promise<RunningGateway>;
  publish(line: string, station: string, channel: string, payload: unknown): Promise<void>;
}

/** A gateway config with its own data dir, site and id; `start` can be called again to restart it. */
async function harness(): Promise<Harness> {
  const site = uniqueKey('site');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fb-gw-test-'));
  const gatewayId = uniqueKey('gw');
  const config: GatewayConfig = {
    mqttUrl: broker.url,
    serverUrl: ingest.url,
    ingestToken: TOKEN,
    gatewayId,
    dataDir,
    httpPort: 0,
    sites: [site],
    logLevel: 'error',
    inputs: {
      ...defaultInputsConfig(gatewayId),
      umh: { ...defaultInputsConfig(gatewayId).umh, enabled: false },
      sparkplug: { ...defaultInputsConfig(gatewayId).sparkplug, enabled: false },
    },
    outbox: {},
    heartbeatIntervalMs: 0,
  };
  const running: RunningGateway[] = [];
  cleanups.push(async () => {
    for (const gw of running) await gw.stop(0).catch(() => undefined);
    // Drop the persistent session so the real broker does not keep queueing for a test client.
    const purge = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      clean: true,
      clientId: `floorboard-gw-${config.gatewayId}`,
    });
    await purge.endAsync();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    site,
    config,
    async start() {
      const gw = await startGateway(config, {
        sink: {
          lingerMs: 10,
          backoff: createBackoff({ initialMs: 20, maxMs: 100 }),
          slowBackoff: createBackoff({ initialMs: 50, maxMs: 200 }),
        },
      });
      running.push(gw);
      await gw.ready;
      return gw;
    },
    async publish(line, station, channel, payload) {
      const topic = `floorboard/v1/${site}/${line}/${station}/${channel}`;
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      await publisher.publishAsync(topic, body, { qos: 1 });
    },
  };
}

async function metricValue(gw: RunningGateway, name: string, labels: Record<string, string> = {}) {
  const metric = gw.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

function expectStrictlyIncreasingSeq(events: StationEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    expect((events[i] as StationEvent).seq).toBeGreaterThan((events[i - 1] as StationEvent).seq);
  }
}

describe(`gateway against a real broker (${process.env.MQTT_URL ? 'MQTT_URL' : 'embedded aedes'})`, () => {
  it('turns valid station messages into events and counts every bad one by code without crashing', async () => {
    const h = await harness();
    const gw = await h.start();

    await h.publish('line-a', 'press', 'state', { ts: T0, state: 'running' });
    await h.publish('line-a', 'press', 'state', 'not json {');
    await h.publish('line-a', 'press', 'count', { ts: '2025-03-03T09:00:05+01:00', good: 2, scrap: 1 });
    await h.publish('line-a', 'press', 'state', { ts: T0, state: 'exploded' });
    await h.publish('line-a', 'press', 'temperature', { ts: T0, value: 21 });
    await h.publish('Line_A', 'press', 'state', { ts: T0, state: 'running' });
    await h.publish('line-a', 'press', 'cycle', { ts: T0 + 6000, ms: 31_000 });
    await h.publish('line-a', 'press', 'state', { ts: Math.floor(T0 / 1000), state: 'down' });
    await h.publish('line-a', 'press/extra', 'state', { ts: T0, state: 'running' });
    await h.publish('line-a', 'press', 'count', { ts: T0, good: 0, scrap: 0 });
    await h.publish('line-a', 'weld', 'state', { ts: T0 + 7000, state: 'down', reason: 'jam' });

    await waitFor('4 events at the server', () => ingest.committedFor(gw.gatewayId).length >= 4);
    const events = ingest.committedFor(gw.gatewayId);
    const base = { gatewayId: gw.gatewayId, line: 'line-a', source: 'floorboard-json' };
    expect(events).toEqual([
      { ...base, seq: expect.any(Number), station: 'press', ts: T0, type: 'state', state: 'running' },
      { ...base, seq: expect.any(Number), station: 'press', ts: T0 + 5000, type: 'count', good: 2, scrap: 1 },
      { ...base, seq: expect.any(Number), station: 'press', ts: T0 + 6000, type: 'cycle', cycleMs: 31_000 },
      { ...base, seq: expect.any(Number), station: 'weld', ts: T0 + 7000, type: 'state', state: 'down', reason: 'jam' },
    ]);
    expectStrictlyIncreasingSeq(events);
    expect(ingest.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const errors = 'floorboard_gateway_decode_errors_total';
    const input = 'floorboard-json';
    expect(await metricValue(gw, errors, { input, code: 'PAYLOAD_NOT_JSON' })).toBe(1);
    expect(await metricValue(gw, errors, { input, code: 'STATE_UNKNOWN' })).toBe(1);
    expect(await metricValue(gw, errors, { input, code: 'TOPIC_CHANNEL_UNKNOWN' })).toBe(1);
    expect(await metricValue(gw, errors, { input, code: 'TOPIC_KEY_INVALID' })).toBe(1);
    expect(await metricValue(gw, errors, { input, code: 'TIMESTAMP_INVALID' })).toBe(1);
    expect(await metricValue(gw, errors, { input, code: 'TOPIC_UNKNOWN' })).toBe(1);
    expect(await metricValue(gw, errors, { input, code: 'PAYLOAD_INVALID' })).toBe(1);
    expect(await metricValue(gw, 'floorboard_gateway_messages_total', { input })).toBe(4);
    await waitFor(
      '4 events acknowledged',
      async () => (await metricValue(gw, 'floorboard_gateway_events_sent_total')) === 4,
    );
    expect(gw.health().outbox.depth).toBe(0);
    expect(ingest.committedFor(gw.gatewayId)).toHaveLength(4);

    const health = (await (await fetch(`http://127.0.0.1:${gw.httpPort}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'ok',
      gatewayId: gw.gatewayId,
      mqtt: { connected: true },
      server: { reachable: true, lastError: null },
      outbox: { depth: 0, oldestAgeSeconds: null },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${gw.httpPort}/metrics`)).text();
    expect(metrics).toContain(`floorboard_gateway_decode_errors_total{input="${input}",code="STATE_UNKNOWN"} 1`);
    expect(metrics).toContain('floorboard_gateway_outbox_depth 0');
  });

  it('loses nothing when the server answers 503 before it recovers', async () => {
    const h = await harness();
    const gw = await h.start();
    ingest.failNext(3, 503);

    for (let i = 0; i < 20; i++) await h.publish('line-b', 'pack', 'count', { ts: T0 + i * 1000, good: 1 });

    await waitFor('20 events at the server', () => ingest.committedFor(gw.gatewayId).length === 20);
    const events = ingest.committedFor(gw.gatewayId);
    expect(events.map((e) => e.ts)).toEqual(Array.from({ length: 20 }, (_, i) => T0 + i * 1000));
    expectStrictlyIncreasingSeq(events);
    expect(ingest.requests.filter((r) => r.status === 503 && r.gatewayId === gw.gatewayId)).toHaveLength(3);
    expect(await metricValue(gw, 'floorboard_gateway_ingest_failures_total', { reason: 'http_5xx' })).toBe(3);
    await waitFor('outbox drained', () => gw.health().outbox.depth === 0);
  });

  it('keeps events across a restart while the server is down, and never reuses a seq', async () => {
    const h = await harness();
    const topicLine = 'line-c';
    let gw = await h.start();
    await h.publish(topicLine, 'mill', 'state', { ts: T0, state: 'running' });
    await waitFor('first event', () => ingest.committedFor(gw.gatewayId).length === 1);
    const firstSeq = (ingest.committedFor(gw.gatewayId)[0] as StationEvent).seq;

    // Server down: events pile up in the outbox, and the gateway stops with them unsent.
    ingest.responder = (body) => (body.gatewayId === h.config.gatewayId ? { status: 500 } : null);
    await h.publish(topicLine, 'mill', 'state', { ts: T0 + 1000, state: 'down', reason: 'jam' });
    await h.publish(topicLine, 'mill', 'count', { ts: T0 + 2000, good: 3 });
    await waitFor('2 events held in the outbox', () => {
      const health = gw.health();
      return health.outbox.depth === 2 && health.server.reachable === false;
    });
    expect(gw.health()).toMatchObject({ status: 'degraded', server: { lastError: expect.stringContaining('500') } });
    await gw.stop(200);

    // While the gateway is away, the broker queues for its persistent session.
    await h.publish(topicLine, 'mill', 'cycle', { ts: T0 + 3000, ms: 50_000 });

    ingest.responder = () => null;
    gw = await h.start();
    await waitFor('all 4 events', () => ingest.committedFor(gw.gatewayId).length === 4, 15_000);
    const events = ingest.committedFor(gw.gatewayId);
    expect(events.map((e) => [e.type, e.ts])).toEqual([
      ['state', T0],
      ['state', T0 + 1000],
      ['count', T0 + 2000],
      ['cycle', T0 + 3000],
    ]);
    expectStrictlyIncreasingSeq(events);
    expect(new Set(events.map((e) => e.seq)).size).toBe(4);
    expect((events[0] as StationEvent).seq).toBe(firstSeq);
  });

  it('publishes with shared topic helpers the same way stations do', async () => {
    const h = await harness();
    const gw = await h.start();
    const topic = floorboardTopic({ site: h.site, line: 'line-d', station: 'test', channel: 'state' });
    await publisher.publishAsync(topic, JSON.stringify({ ts: T0, state: 'blocked' }), { qos: 1 });
    await waitFor('event', () => ingest.committedFor(gw.gatewayId).length === 1);
    expect(ingest.committedFor(gw.gatewayId)[0]).toMatchObject({ line: 'line-d', station: 'test', state: 'blocked' });
  });

  // Needs a broker the test can kill and restart, so only in embedded mode.
  (process.env.MQTT_URL ? it.skip : it)('reconnects and resubscribes after losing the broker', async () => {
    let lost = await startEmbeddedBroker(0);
    const port = Number(new URL(lost.url).port);
    const h = await harness();
    const config = { ...h.config, mqttUrl: lost.url };
    const gw = await startGateway(config, { sink: { lingerMs: 10 } });
    cleanups.push(() => gw.stop(0));
    await gw.ready;

    await lost.stop();
    await waitFor('the gateway to notice', () => !gw.health().mqtt.connected);
    expect(gw.health().status).toBe('degraded');
    // A fresh aedes has no memory of the session: the gateway must subscribe again by itself.
    lost = await startEmbeddedBroker(port);
    cleanups.push(() => lost.stop());
    await waitFor('reconnect', () => gw.health().mqtt.connected, 15_000);
    expect(await metricValue(gw, 'floorboard_gateway_mqtt_reconnects_total')).toBeGreaterThanOrEqual(1);

    const pub = await mqtt.connectAsync(lost.url, { protocolVersion: 4 });
    cleanups.push(() => pub.endAsync());
    const topic = floorboardTopic({ site: h.site, line: 'line-e', station: 'saw', channel: 'state' });
    await waitFor(
      'an event after the reconnect',
      async () => {
        await pub.publishAsync(topic, JSON.stringify({ ts: T0, state: 'idle' }), { qos: 1 });
        return ingest.committedFor(gw.gatewayId).length > 0;
      },
      10_000,
    );
    expect(ingest.committedFor(gw.gatewayId)[0]).toMatchObject({ line: 'line-e', station: 'saw', state: 'idle' });
  });
});
