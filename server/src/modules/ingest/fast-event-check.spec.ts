import { ingestBatchSchema, MAX_EVENT_TS, MIN_EVENT_TS, stationEventSchema } from '@floorboard/shared';
import { fastEnvelope, fastStationEvent } from './fast-event-check.js';

const T = Date.parse('2026-11-28T08:00:00Z');
const valid = {
  gatewayId: 'gw-1',
  seq: 7,
  line: 'assembly-1',
  station: 'press',
  ts: T,
  type: 'state',
  state: 'running',
  source: 'floorboard-json',
};

/** The contract: the fast check either defers (undefined) or returns what zod returns. */
function agree(json: Record<string, unknown>): 'fast' | 'deferred' {
  const quick = fastStationEvent(json);
  if (quick === undefined) return 'deferred';
  const slow = stationEventSchema.safeParse(json);
  expect({ json, success: slow.success }).toEqual({ json, success: true });
  expect(quick).toEqual(slow.data);
  return 'fast';
}

const oddValues: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  1_000_000,
  1_000_001,
  86_400_000,
  86_400_001,
  Number.MAX_SAFE_INTEGER,
  2 ** 53,
  MIN_EVENT_TS - 1,
  MIN_EVENT_TS,
  MAX_EVENT_TS,
  MAX_EVENT_TS + 1,
  T,
  T + 0.5,
  String(T),
  '',
  'gw-1',
  'gw-2',
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(200),
  'x'.repeat(201),
  '😀'.repeat(100),
  '😀'.repeat(101),
  'a'.repeat(64),
  'a'.repeat(65),
  'Assembly',
  '-press',
  'press_2',
  'press/2',
  'state',
  'count',
  'cycle',
  'running',
  'exploded',
  'floorboard-json',
  'sparkplug',
  'umh',
  'simulator',
  'mqtt',
  [],
  {},
];
const fields = [
  'gatewayId',
  'seq',
  'line',
  'station',
  'ts',
  'type',
  'state',
  'reason',
  'good',
  'scrap',
  'cycleMs',
  'historical',
  'source',
  'extra',
];
const baseValues: Record<string, unknown> = {
  ...valid,
  reason: 'jam',
  good: 2,
  scrap: 1,
  cycleMs: 900,
  historical: true,
  extra: 1,
};

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fast ingest checks agree with the zod contracts', () => {
  it.each([
    [valid],
    [{ ...valid, reason: 'x'.repeat(200), historical: false }],
    [{ ...valid, type: 'count', state: undefined, good: 1_000_000 }],
    [{ ...valid, type: 'count', state: undefined, scrap: 0 }],
    [{ ...valid, type: 'cycle', state: undefined, cycleMs: 86_400_000, source: 'sparkplug' }],
    [{ ...valid, ts: MAX_EVENT_TS, seq: Number.MAX_SAFE_INTEGER, line: 'a'.repeat(64) }],
  ])('takes the fast path for a valid event %j', (event) => {
    expect(agree(JSON.parse(JSON.stringify(event)) as Record<string, unknown>)).toBe('fast');
  });

  // The bad-input cases of validate-batch.spec.ts and more: zod rejects every one, the fast check defers.
  it.each([
    [{ state: 'exploded' }],
    [{ ts: 1_700_000_000 }],
    [{ ts: MAX_EVENT_TS + 1 }],
    [{ ts: T + 0.5 }],
    [{ line: 'Line 1; DROP TABLE lines' }],
    [{ station: 'a'.repeat(65) }],
    [{ type: 'count', state: undefined }],
    [{ type: 'cycle', state: undefined }],
    [{ type: 'state', state: undefined }],
    [{ type: 'alarm' }],
    [{ extra: 'field' }],
    [{ seq: -1 }],
    [{ seq: 2 ** 53 }],
    [{ seq: '7' }],
    [{ gatewayId: '' }],
    [{ gatewayId: 'g'.repeat(129) }],
    [{ reason: '' }],
    [{ reason: 'x'.repeat(201) }],
    [{ good: -1 }],
    [{ scrap: 1_000_001 }],
    [{ cycleMs: 0 }],
    [{ historical: 'yes' }],
    [{ source: 'mqtt' }],
  ])('never accepts what zod rejects: %j', (patch) => {
    const event = JSON.parse(JSON.stringify({ ...valid, ...patch })) as Record<string, unknown>;
    expect(fastStationEvent(event)).toBeUndefined();
    expect(stationEventSchema.safeParse(event).success).toBe(false);
  });

  it('agrees with zod on 20,000 randomly mutated events', () => {
    const random = prng(11);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const event: Record<string, unknown> = {};
      for (const field of fields) {
        const roll = random();
        if (roll < 0.05) continue;
        event[field] = roll < 0.93 ? baseValues[field] : oddValues[Math.floor(random() * oddValues.length)];
      }
      if (random() < 0.5) delete event.extra;
      if (agree(event) === 'fast') fast += 1;
    }
    // Plenty of the mutated events are valid: the comparison is not vacuous.
    expect(fast).toBeGreaterThan(1000);
  });

  it.each([
    [{ gatewayId: 'gw-1', events: [valid] }, 'fast'],
    [{ gatewayId: 'gw-1', events: [] }, 'fast'],
    [{ gatewayId: 'gw-1', events: [1, 2] }, 'deferred'],
    [{ gatewayId: 'gw-1', events: [[]] }, 'deferred'],
    [{ gatewayId: 'gw-1', events: [null] }, 'deferred'],
    [{ gatewayId: 'gw-1', events: 'x' }, 'deferred'],
    [{ gatewayId: 'gw-1', events: new Array(5001).fill({}) }, 'deferred'],
    [{ gatewayId: '', events: [] }, 'deferred'],
    [{ gatewayId: 'gw-1' }, 'deferred'],
    [{ events: [] }, 'deferred'],
    [{ gatewayId: 'gw-1', events: [], admin: true }, 'deferred'],
    [JSON.parse('{"gatewayId":"gw-1","events":[{"__proto__":{"x":1}}]}') as unknown, 'deferred'],
    [null, 'deferred'],
    [[], 'deferred'],
    ['text', 'deferred'],
  ])('envelope %#: fast path only where zod accepts the same', (body, path) => {
    const quick = fastEnvelope(body);
    expect(quick === undefined ? 'deferred' : 'fast').toBe(path);
    if (quick) {
      const slow = ingestBatchSchema.safeParse(body);
      expect(slow.success).toBe(true);
      expect(quick).toEqual(slow.data);
    }
  });
});
