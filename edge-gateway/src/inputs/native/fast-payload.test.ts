import { describe, expect, it } from '@jest/globals';
import {
  floorboardCountPayloadSchema,
  floorboardCyclePayloadSchema,
  floorboardStatePayloadSchema,
  MAX_EVENT_TS,
  MIN_EVENT_TS,
} from '@floorboard/shared';
import { fastCountPayload, fastCyclePayload, fastStatePayload } from './fast-payload.js';

const T = Date.UTC(2025, 0, 6, 7, 30);

const pairs = [
  ['state', fastStatePayload, floorboardStatePayloadSchema],
  ['count', fastCountPayload, floorboardCountPayloadSchema],
  ['cycle', fastCyclePayload, floorboardCyclePayloadSchema],
] as const;

/** Values that sit on or just past every bound the schemas have, plus wrong types. */
const oddValues: unknown[] = [
  undefined,
  null,
  true,
  0,
  -0,
  1,
  -1,
  0.5,
  2,
  1_000_000,
  1_000_001,
  86_400_000,
  86_400_001,
  Number.MAX_SAFE_INTEGER,
  2 ** 53,
  1e300,
  MIN_EVENT_TS - 1,
  MIN_EVENT_TS,
  MAX_EVENT_TS - 1,
  MAX_EVENT_TS,
  T,
  T + 0.5,
  Math.floor(T / 1000),
  String(T),
  '2025-01-06T07:30:00Z',
  '2025-01-06T07:30:00',
  '2025-02-30T07:30:00Z',
  '',
  'running',
  'down',
  'exploded',
  'Running',
  'x'.repeat(200),
  'x'.repeat(201),
  '😀'.repeat(100),
  '😀'.repeat(101),
  [],
  {},
  [T],
];
const fields = ['ts', 'state', 'reason', 'good', 'scrap', 'ms', 'extra'];

/** A deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPayload(random: () => number): unknown {
  const roll = random();
  if (roll < 0.03) return oddValues[Math.floor(random() * oddValues.length)];
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    if (random() < 0.35) continue;
    const base = { ts: T, state: 'running', reason: 'jam', good: 1, scrap: 0, ms: 1200, extra: 'x' }[field];
    payload[field] = random() < 0.6 ? base : oddValues[Math.floor(random() * oddValues.length)];
  }
  return payload;
}

/** The contract: the fast check either defers (undefined) or returns exactly what zod returns. */
function expectAgreement(
  fast: (json: unknown) => unknown,
  schema: { safeParse(json: unknown): unknown },
  json: unknown,
) {
  const quick = fast(json);
  if (quick === undefined) return 'deferred';
  const slow = schema.safeParse(json) as { success: boolean; data?: unknown };
  expect({ json, success: slow.success }).toEqual({ json, success: true });
  expect(quick).toEqual(slow.data);
  return 'fast';
}

describe('fast Floorboard payload checks agree with the zod schemas', () => {
  it.each([
    ['state', { ts: T, state: 'running' }],
    ['state', { ts: T, state: 'down', reason: 'jam' }],
    ['state', { ts: T, state: 'idle', reason: 'x'.repeat(200), extra: 1 }],
    ['count', { ts: T, good: 3 }],
    ['count', { ts: T, scrap: 1 }],
    ['count', { ts: T, good: 1_000_000, scrap: 1_000_000 }],
    ['cycle', { ts: T, ms: 41_250 }],
    ['cycle', { ts: MAX_EVENT_TS - 1, ms: 86_400_000 }],
  ] as const)('takes the fast path for a valid %s payload %j', (channel, json) => {
    const [, fast, schema] = pairs.find(([c]) => c === channel)!;
    expect(expectAgreement(fast, schema, json)).toBe('fast');
  });

  it.each([
    ['state', { ts: T, state: 'exploded' }],
    ['state', { ts: T }],
    ['state', { ts: T, state: 'running', reason: '' }],
    ['state', { ts: T, state: 'running', reason: 'x'.repeat(201) }],
    ['state', { ts: T, state: 'running', reason: 7 }],
    ['state', { ts: Math.floor(T / 1000), state: 'running' }],
    ['state', { ts: String(T), state: 'running' }],
    ['state', { ts: T + 0.5, state: 'running' }],
    ['state', [T, 'running']],
    ['state', null],
    ['state', 'running'],
    ['count', { ts: T, good: 0, scrap: 0 }],
    ['count', { ts: T }],
    ['count', { ts: T, good: -1 }],
    ['count', { ts: T, good: 1.5 }],
    ['count', { ts: T, good: 1_000_001 }],
    ['count', { ts: T, good: null }],
    ['count', { ts: T, good: '1' }],
    ['count', { ts: MAX_EVENT_TS, good: 1 }],
    ['count', { ts: MIN_EVENT_TS - 1, good: 1 }],
    ['cycle', { ts: T, ms: 0 }],
    ['cycle', { ts: T, ms: -5 }],
    ['cycle', { ts: T, ms: 86_400_001 }],
    ['cycle', { ts: T, ms: 2 ** 53 }],
    ['cycle', { ts: T }],
    ['cycle', { ts: '2025-01-06T07:30:00', ms: 1 }],
  ] as const)('never accepts what zod rejects: %s %j', (channel, json) => {
    const [, fast, schema] = pairs.find(([c]) => c === channel)!;
    expect(fast(json)).toBeUndefined();
    expect((schema.safeParse(json) as { success: boolean }).success).toBe(false);
  });

  it('leaves ISO timestamps to zod (deferred, and zod accepts them)', () => {
    const json = { ts: '2025-01-06T08:30:00+01:00', state: 'down' };
    expect(fastStatePayload(json)).toBeUndefined();
    expect(floorboardStatePayloadSchema.safeParse(json).success).toBe(true);
  });

  it.each(pairs)('agrees with zod on 20,000 random %s payloads', (_channel, fast, schema) => {
    const random = prng(4);
    let fastCount = 0;
    for (let i = 0; i < 20_000; i++) {
      if (expectAgreement(fast, schema, randomPayload(random)) === 'fast') fastCount += 1;
    }
    // The random payloads include plenty of valid ones: the comparison is not vacuous.
    expect(fastCount).toBeGreaterThan(500);
  });
});
