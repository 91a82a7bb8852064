import { describe, expect, it } from '@jest/globals';
import { createFloorboardJsonInput, decodeFloorboardJson } from './floorboard-json-input.js';

const T = Date.UTC(2025, 0, 6, 7, 30);
const topic = (channel: string, line = 'assembly-1', station = 'paint') =>
  `floorboard/v1/plant-a/${line}/${station}/${channel}`;
const decode = (t: string, payload: unknown) =>
  decodeFloorboardJson(t, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
const base = { line: 'assembly-1', station: 'paint', source: 'floorboard-json' };

describe('Floorboard JSON input', () => {
  it.each([
    ['state', { ts: T, state: 'running' }, { ...base, ts: T, type: 'state', state: 'running' }],
    [
      'state',
      { ts: '2025-01-06T08:30:00+01:00', state: 'down', reason: 'jam' },
      { ...base, ts: T, type: 'state', state: 'down', reason: 'jam' },
    ],
    ['count', { ts: T, good: 3 }, { ...base, ts: T, type: 'count', good: 3, scrap: 0 }],
    ['count', { ts: T, scrap: 1 }, { ...base, ts: T, type: 'count', good: 0, scrap: 1 }],
    ['cycle', { ts: '2025-01-06T07:30:00Z', ms: 41_250 }, { ...base, ts: T, type: 'cycle', cycleMs: 41_250 }],
  ])('maps %s %j to a canonical event', (channel, payload, event) => {
    expect(decode(topic(channel), payload)).toEqual({ events: [event] });
  });

  it.each([
    ['non-JSON', topic('state'), '{ts: 1', 'PAYLOAD_NOT_JSON'],
    ['a JSON string', topic('state'), '"running"', 'PAYLOAD_INVALID'],
    ['an unknown state name', topic('state'), { ts: T, state: 'exploded' }, 'STATE_UNKNOWN'],
    ['a missing state', topic('state'), { ts: T }, 'STATE_UNKNOWN'],
    ['ts in seconds', topic('state'), { ts: Math.floor(T / 1000), state: 'running' }, 'TIMESTAMP_INVALID'],
    ['ts without offset', topic('cycle'), { ts: '2025-01-06T07:30:00', ms: 1 }, 'TIMESTAMP_INVALID'],
    ['ts far in the future', topic('count'), { ts: Date.UTC(2200, 0, 1), good: 1 }, 'TIMESTAMP_INVALID'],
    ['a count of nothing', topic('count'), { ts: T, good: 0, scrap: 0 }, 'PAYLOAD_INVALID'],
    ['a negative count', topic('count'), { ts: T, good: -1 }, 'PAYLOAD_INVALID'],
    ['a zero cycle', topic('cycle'), { ts: T, ms: 0 }, 'PAYLOAD_INVALID'],
    ['an unknown channel', topic('temperature'), { ts: T }, 'TOPIC_CHANNEL_UNKNOWN'],
    ['an upper-case line key', topic('state', 'Assembly'), { ts: T, state: 'idle' }, 'TOPIC_KEY_INVALID'],
    ['a topic with an extra level', 'floorboard/v1/plant-a/l/s/x/state', { ts: T, state: 'idle' }, 'TOPIC_UNKNOWN'],
    ['another version', 'floorboard/v2/plant-a/l/s/state', { ts: T, state: 'idle' }, 'TOPIC_UNKNOWN'],
    [
      'a huge payload',
      topic('state'),
      JSON.stringify({ ts: T, state: 'idle', pad: 'x'.repeat(20_000) }),
      'PAYLOAD_TOO_LARGE',
    ],
  ])('rejects %s with its code', (_name, t, payload, code) => {
    const result = decode(t, payload);
    expect('error' in result && result.error.code).toBe(code);
    expect('error' in result && result.error.message.length).toBeGreaterThan(0);
  });

  it('subscribes to all sites, or only to the configured ones', () => {
    expect(createFloorboardJsonInput().topicFilters).toEqual(['floorboard/v1/#']);
    expect(createFloorboardJsonInput({ sites: ['plant-a', 'plant-b'] }).topicFilters).toEqual([
      'floorboard/v1/plant-a/#',
      'floorboard/v1/plant-b/#',
    ]);
  });
});
