import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StationEvent } from '@floorboard/shared';
import { FakeIngestServer } from '../../test/helpers/ingest-server.js';
import { waitFor } from '../../test/helpers/wait.js';
import { createBackoff } from '../backoff.js';
import { createLogger } from '../logging/logger.js';
import { createGatewayMetrics } from '../metrics.js';
import { openFileOutbox } from '../outbox/file-outbox.js';
import type { Outbox } from '../outbox/outbox.js';
import { startSink, type Sink } from './http-sink.js';

const TOKEN = 'sink-token';
let dir: string;
let server: FakeIngestServer;
let outbox: Outbox;
let sink: Sink | undefined;
let logs: Record<string, unknown>[];
let metrics: ReturnType<typeof createGatewayMetrics>;

const event = (seq: number): StationEvent => ({
  gatewayId: 'gw-sink',
  seq,
  line: 'l',
  station: 's',
  ts: Date.UTC(2025, 0, 1) + seq,
  type: 'state',
  state: 'running',
  source: 'floorboard-json',
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => event(from + i));

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fb-sink-'));
  server = await new FakeIngestServer(TOKEN).start();
  outbox = await openFileOutbox({ dir });
  logs = [];
  metrics = createGatewayMetrics();
});
afterEach(async () => {
  await sink?.stop(0);
  sink = undefined;
  await outbox.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(batchSize = 500) {
  sink = startSink({
    serverUrl: server.url,
    token: TOKEN,
    gatewayId: 'gw-sink',
    outbox,
    metrics,
    logger: createLogger({ level: 'debug', write: (l) => logs.push(JSON.parse(l) as Record<string, unknown>) }),
    batchSize,
    lingerMs: 5,
    backoff: createBackoff({ initialMs: 10, maxMs: 40 }),
    slowBackoff: createBackoff({ initialMs: 20, maxMs: 40 }),
  });
  return sink;
}

const value = async (name: string, labels: Record<string, string> = {}) => {
  const metric = metrics.registry.getSingleMetric(name);
  const { values } = await (metric as NonNullable<typeof metric>).get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
};

describe('HTTP sink', () => {
  it('sends in batches of at most batchSize, in seq order, and acks each batch', async () => {
    await outbox.append(range(1, 25));
    start(10);
    await waitFor('outbox empty', () => outbox.depth() === 0);
    expect(server.requests.map((r) => r.events.length)).toEqual([10, 10, 5]);
    expect(server.committed.map((e) => e.seq)).toEqual(range(1, 25).map((e) => e.seq));
    expect(server.requests[0]).toMatchObject({ authorization: `Bearer ${TOKEN}`, gatewayId: 'gw-sink' });
    expect(await value('floorboard_gateway_events_sent_total')).toBe(25);
    expect(await value('floorboard_gateway_last_ack_timestamp_seconds')).toBeGreaterThan(0);
    expect(sink?.status()).toMatchObject({ reachable: true, consecutiveFailures: 0, lastError: null });
  });

  it('keeps a second request in flight and loses nothing when the first one fails', async () => {
    await outbox.append(range(1, 60));
    let failed = 0;
    server.responder = () => {
      // Every third request fails while the one sent after it may succeed: its answer must not be used.
      if (server.requests.length % 3 !== 1 || failed >= 4) return null;
      failed += 1;
      return { status: 503, body: { statusCode: 503, code: 'FAIL', message: 'injected' } };
    };
    start(10);
    await outbox.append(range(61, 80));
    await waitFor('outbox empty', () => outbox.depth() === 0);
    expect(failed).toBe(4);
    expect(server.committed.map((e) => e.seq).sort((a, b) => a - b)).toEqual(range(1, 80).map((e) => e.seq));
    // Nothing was acknowledged that the server did not commit (the outbox is empty, every event is there).
    expect(await value('floorboard_gateway_events_sent_total')).toBeGreaterThanOrEqual(80);
  });

  it('acks events the server rejected into its dead-letter table, counting them by code', async () => {
    server.responder = (body) => ({
      status: 200,
      body: {
        accepted: body.events.length - 1,
        duplicates: 0,
        rejected: [{ seq: body.events[0]?.seq ?? null, code: 'EVENT_INVALID', message: 'station unknown' }],
      },
    });
    await outbox.append(range(1, 3));
    start();
    await waitFor('outbox empty', () => outbox.depth() === 0);
    expect(await value('floorboard_gateway_events_rejected_total', { code: 'EVENT_INVALID' })).toBe(1);
    expect(logs.some((l) => l.level === 'warn' && String(l.msg).includes('rejected'))).toBe(true);
  });

  it.each([
    [503, 'http_5xx'],
    [429, 'http_429'],
  ])('retries after %d without losing or reordering anything', async (status, reason) => {
    server.failNext(2, status, status === 429 ? { 'retry-after': '0' } : undefined);
    await outbox.append(range(1, 5));
    start();
    await waitFor('outbox empty', () => outbox.depth() === 0);
    expect(server.committed.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await value('floorboard_gateway_ingest_failures_total', { reason })).toBe(2);
  });

  it('retries a 200 whose body is not an ingest result (the server deduplicates the resend)', async () => {
    let answered = false;
    server.responder = () => (answered ? null : ((answered = true), { status: 200, body: 'ok' }));
    await outbox.append(range(1, 2));
    start();
    await waitFor('outbox empty', () => outbox.depth() === 0);
    expect(await value('floorboard_gateway_ingest_failures_total', { reason: 'bad_response' })).toBe(1);
  });

  it('logs a wrong ingest token as an error and keeps retrying', async () => {
    server.failNext(2, 401);
    await outbox.append(range(1, 1));
    start();
    await waitFor('outbox empty', () => outbox.depth() === 0);
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(2);
    expect(String(errors[0]?.msg)).toContain('FLOORBOARD_INGEST_TOKEN');
    expect(logs.some((l) => l.msg === 'server reachable again')).toBe(true);
  });

  it('retries network errors while the server is away', async () => {
    const url = server.url;
    await server.stop();
    await outbox.append(range(1, 2));
    sink = startSink({
      serverUrl: url,
      token: TOKEN,
      gatewayId: 'gw-sink',
      outbox,
      metrics,
      logger: createLogger({ write: () => undefined }),
      lingerMs: 5,
      backoff: createBackoff({ initialMs: 10, maxMs: 20 }),
    });
    await waitFor(
      'two failures',
      async () => (await value('floorboard_gateway_ingest_failures_total', { reason: 'network' })) >= 2,
    );
    expect(sink.status()).toMatchObject({ reachable: false });
    expect(outbox.depth()).toBe(2);
    server = await new FakeIngestServer(TOKEN).start();
  });

  it('stops within the flush timeout when the server is down, keeping the events', async () => {
    server.responder = () => ({ status: 500 });
    await outbox.append(range(1, 3));
    start();
    await waitFor(
      'a failure',
      async () => (await value('floorboard_gateway_ingest_failures_total', { reason: 'http_5xx' })) >= 1,
    );
    const started = Date.now();
    await sink?.stop(150);
    sink = undefined;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outbox.depth()).toBe(3);
  });

  it('flushes what is pending when stopped', async () => {
    start();
    await outbox.append(range(1, 4));
    await sink?.stop(2000);
    sink = undefined;
    expect(outbox.depth()).toBe(0);
    expect(server.committed).toHaveLength(4);
  });
});
