import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import sparkplugPayload from 'sparkplug-payload';
import protoModule from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import type { DecodedEvent, DecodeResult } from '../input.js';
import { createSparkplugHost, type SparkplugHostOptions } from './sparkplug-host.js';

const spb = sparkplugPayload.get('spBv1.0')!;
const Payload = protoModule.org.eclipse.tahu.protobuf.Payload;
const T = Date.UTC(2026, 10, 28, 8, 0, 0);
type Metric = {
  name: string;
  alias?: number;
  type: 'Int8' | 'Int16' | 'Int32' | 'UInt16' | 'UInt32' | 'UInt64' | 'String';
  value: number | string;
};

const enc = (seq: number | undefined, metrics: Metric[], timestamp = T) =>
  Buffer.from(
    spb.encodePayload({ timestamp, ...(seq === undefined ? {} : { seq }), metrics } as Parameters<
      typeof spb.encodePayload
    >[0]),
  );
/** DATA as the spec recommends with aliases: alias only, no datatype (encoded with the raw protobuf module). */
const aliasOnly = (seq: number, metrics: Record<string, unknown>[], timestamp = T) =>
  Buffer.from(Payload.encode({ timestamp, seq, metrics }).finish());

const events = (r: DecodeResult): DecodedEvent[] => {
  if (!('events' in r)) throw new Error(`expected events, got ${JSON.stringify(r)}`);
  return r.events;
};

let published: { topic: string; payload: Buffer }[];
let emitted: DecodedEvent[];
let rebirths: string[];

function host(extra: Partial<SparkplugHostOptions> = {}) {
  return createSparkplugHost({
    hostId: 'fb-host',
    reorderTimeoutMs: 1000,
    publish: async (topic, payload) => void published.push({ topic, payload }),
    emit: (e) => void emitted.push(...e),
    onRebirthRequested: (reason) => void rebirths.push(reason),
    now: () => T + 1000,
    ...extra,
  });
}

const NBIRTH = (bdSeq = 0) => enc(0, [{ name: 'bdSeq', type: 'UInt64', value: bdSeq }]);
const DBIRTH = (seq: number) =>
  enc(seq, [
    { name: 'State', alias: 1, type: 'Int32', value: 6 },
    { name: 'GoodCount', alias: 2, type: 'UInt32', value: 100 },
    { name: 'ScrapCount', alias: 3, type: 'UInt16', value: 65_530 },
    { name: 'Reason', alias: 4, type: 'String', value: '' },
    { name: 'Temp', alias: 5, type: 'Int8', value: -3 },
  ]);

beforeEach(() => {
  published = [];
  emitted = [];
  rebirths = [];
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

const born = () => {
  const h = host();
  expect(events(h.decode('spBv1.0/plant-a/NBIRTH/Line 1', NBIRTH(7)))).toEqual([]);
  const birth = events(h.decode('spBv1.0/plant-a/DBIRTH/Line 1/Press', DBIRTH(1)));
  return { h, birth };
};

describe('sparkplug host', () => {
  it('maps edge node → line and device → station, PackML state numbers, birth counters as baselines', () => {
    const { birth } = born();
    expect(birth).toEqual([
      { line: 'line-1', station: 'press', source: 'sparkplug', ts: T, type: 'state', state: 'running' },
    ]);
  });

  it('decodes alias-only DATA without datatypes using the birth, counters as increments with rollover', () => {
    const { h } = born();
    const out = events(
      h.decode(
        'spBv1.0/plant-a/DDATA/Line 1/Press',
        aliasOnly(2, [
          { alias: 2, longValue: 104, timestamp: T + 5 }, // UInt32 in long_value (Tahu)
          { alias: 3, intValue: 4 }, // UInt16 rolled over 65530 → 4 = 10 parts
          { alias: 1, intValue: 11 }, // Held → down
        ]),
      ),
    );
    expect(out).toEqual([
      { line: 'line-1', station: 'press', source: 'sparkplug', ts: T + 5, type: 'count', good: 4 },
      { line: 'line-1', station: 'press', source: 'sparkplug', ts: T, type: 'count', scrap: 10 },
      { line: 'line-1', station: 'press', source: 'sparkplug', ts: T, type: 'state', state: 'down' },
    ]);
  });

  it('accepts UInt32 in int_value too, and treats a counter drop as a reset', () => {
    const { h } = born();
    const out = events(h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(2, [{ alias: 2, intValue: 3 }])));
    expect(out).toMatchObject([{ type: 'count', good: 3 }]);
  });

  it('takes PackML Suspended as blocked when the Reason says so', () => {
    const { h } = born();
    const out = events(
      h.decode(
        'spBv1.0/plant-a/DDATA/Line 1/Press',
        aliasOnly(2, [
          { alias: 4, stringValue: 'downstream full' },
          { alias: 1, intValue: 5 },
        ]),
      ),
    );
    expect(out).toMatchObject([{ type: 'state', state: 'blocked', reason: 'downstream full' }]);
  });

  it('stores is_historical metrics as backfill with their own counter baseline', () => {
    const { h } = born();
    const hist = events(
      h.decode(
        'spBv1.0/plant-a/DDATA/Line 1/Press',
        aliasOnly(2, [
          { alias: 1, intValue: 11, isHistorical: true, timestamp: T - 60_000 },
          { alias: 2, longValue: 50, isHistorical: true, timestamp: T - 60_000 },
          { alias: 2, longValue: 52, isHistorical: true, timestamp: T - 50_000 },
        ]),
      ),
    );
    expect(hist).toEqual([
      {
        line: 'line-1',
        station: 'press',
        source: 'sparkplug',
        ts: T - 60_000,
        type: 'state',
        state: 'down',
        historical: true,
      },
      {
        line: 'line-1',
        station: 'press',
        source: 'sparkplug',
        ts: T - 50_000,
        type: 'count',
        good: 2,
        historical: true,
      },
    ]);
    // The live baseline (100 from the birth) is untouched.
    expect(
      events(h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(3, [{ alias: 2, longValue: 101 }]))),
    ).toMatchObject([{ type: 'count', good: 1 }]);
  });

  it('holds a message after a seq gap and processes both in order when the gap fills in time: no rebirth', () => {
    const { h } = born();
    expect(
      events(h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(3, [{ alias: 2, longValue: 103 }]))),
    ).toEqual([]);
    const out = events(h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(2, [{ alias: 2, longValue: 101 }])));
    expect(out.map((e) => e.good)).toEqual([1, 2]);
    jest.advanceTimersByTime(5000);
    expect(rebirths).toEqual([]);
    expect(published.filter((p) => p.topic.includes('NCMD'))).toEqual([]);
  });

  it('sends exactly one Rebirth NCMD when the gap is not filled within the reorder timeout', () => {
    const { h } = born();
    h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(4, [{ alias: 2, longValue: 103 }]));
    h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(5, [{ alias: 2, longValue: 104 }]));
    jest.advanceTimersByTime(999);
    expect(rebirths).toEqual([]);
    jest.advanceTimersByTime(10);
    expect(rebirths).toEqual(['seq-gap']);
    const ncmd = published.filter((p) => p.topic === 'spBv1.0/plant-a/NCMD/Line 1');
    expect(ncmd).toHaveLength(1);
    const decoded = spb.decodePayload(ncmd[0]!.payload);
    expect(decoded.metrics?.[0]).toMatchObject({ name: 'Node Control/Rebirth', type: 'Boolean', value: true });
    // The held data is real: processed in seq order once the gap is given up.
    expect(emitted.map((e) => e.good)).toEqual([3, 1]);
    jest.advanceTimersByTime(10_000);
    expect(published.filter((p) => p.topic.includes('NCMD'))).toHaveLength(1);
  });

  it('wraps seq from 255 to 0', () => {
    const h = host();
    h.decode('spBv1.0/g/NBIRTH/n', enc(254, [{ name: 'bdSeq', type: 'UInt64', value: 1 }]));
    h.decode('spBv1.0/g/DBIRTH/n/d', enc(255, [{ name: 'GoodCount', alias: 9, type: 'UInt32', value: 1 }]));
    expect(events(h.decode('spBv1.0/g/DDATA/n/d', aliasOnly(0, [{ alias: 9, intValue: 2 }])))).toMatchObject([
      { good: 1 },
    ]);
    expect(rebirths).toEqual([]);
  });

  it('asks for a rebirth on data before any birth and on an unknown alias', () => {
    const h = host();
    const r = h.decode('spBv1.0/g/DDATA/n/d', aliasOnly(1, [{ alias: 2, intValue: 1 }]));
    expect(r).toMatchObject({ error: { code: 'SPARKPLUG_NO_BIRTH' } });
    expect(rebirths).toEqual(['data-before-birth']);
    const { h: h2 } = born();
    rebirths = [];
    h2.decode('spBv1.0/plant-a/DDATA/Line 1/Press', aliasOnly(2, [{ alias: 99, intValue: 1 }]));
    expect(rebirths).toEqual(['unknown-alias']);
  });

  it('honours NDEATH only with the bdSeq of the current NBIRTH; stations go offline', () => {
    const { h } = born();
    const stale = h.decode(
      'spBv1.0/plant-a/NDEATH/Line 1',
      enc(undefined, [{ name: 'bdSeq', type: 'UInt64', value: 6 }]),
    );
    expect(stale).toEqual({ ignored: 'stale-ndeath' });
    const death = events(
      h.decode('spBv1.0/plant-a/NDEATH/Line 1', enc(undefined, [{ name: 'bdSeq', type: 'UInt64', value: 7 }])),
    );
    expect(death).toEqual([
      { line: 'line-1', station: 'press', source: 'sparkplug', ts: T + 1000, type: 'state', state: 'offline' },
    ]);
  });

  it('takes a station offline at the DDEATH timestamp', () => {
    const { h } = born();
    const out = events(h.decode('spBv1.0/plant-a/DDEATH/Line 1/Press', enc(2, [], T + 77)));
    expect(out).toEqual([
      { line: 'line-1', station: 'press', source: 'sparkplug', ts: T + 77, type: 'state', state: 'offline' },
    ]);
  });

  it('sign-normalises Int8/Int16 from producers that send them as uint32', () => {
    const h = host({ metrics: { cycleTime: 'Temp' } });
    h.decode('spBv1.0/g/NBIRTH/n', NBIRTH());
    h.decode('spBv1.0/g/DBIRTH/n/d', enc(1, [{ name: 'Temp', alias: 5, type: 'Int16', value: 10 }]));
    // -3 as Int16 arrives as 0xFFFFFFFD; a negative cycle time yields no event, a positive one does.
    expect(events(h.decode('spBv1.0/g/DDATA/n/d', aliasOnly(2, [{ alias: 5, intValue: 0xfffffffd }])))).toEqual([]);
    expect(events(h.decode('spBv1.0/g/DDATA/n/d', aliasOnly(3, [{ alias: 5, intValue: 0x00000200 }])))).toMatchObject([
      { type: 'cycle', cycleMs: 512 },
    ]);
  });

  it('catches garbage payloads and bad topics without throwing', () => {
    const { h } = born();
    expect(h.decode('spBv1.0/plant-a/DDATA/Line 1/Press', Buffer.from('\xff\xff\xff garbage'))).toMatchObject({
      error: { code: 'PAYLOAD_INVALID' },
    });
    expect(h.decode('spBv1.0/plant-a/BOGUS/Line 1', NBIRTH())).toMatchObject({
      error: { code: 'TOPIC_CHANNEL_UNKNOWN' },
    });
    expect(h.decode('spBv1.0/plant-a', NBIRTH())).toMatchObject({ error: { code: 'TOPIC_UNKNOWN' } });
  });

  it('publishes STATE online with the timestamp of its Will, and again when it sees itself offline', () => {
    const h = host();
    const will = h.session!.will!()!;
    expect(will).toMatchObject({ topic: 'spBv1.0/STATE/fb-host', qos: 1, retain: true });
    const willState = JSON.parse(will.payload.toString()) as { online: boolean; timestamp: number };
    expect(willState.online).toBe(false);
    h.session!.onSubscribed!();
    h.decode('spBv1.0/STATE/fb-host', Buffer.from(JSON.stringify({ online: false, timestamp: willState.timestamp })));
    const states = published
      .filter((p) => p.topic === 'spBv1.0/STATE/fb-host')
      .map((p) => JSON.parse(p.payload.toString()));
    expect(states).toEqual([
      { online: true, timestamp: willState.timestamp },
      { online: true, timestamp: willState.timestamp },
    ]);
  });
});
