import { describe, expect, it } from '@jest/globals';
import { createUmhInput } from './umh-input.js';

const T = Date.UTC(2026, 10, 28, 8);
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('UMH v0 input', () => {
  it('maps location → line, asset → station and UMH state codes (sub-codes inherit their family, 40100 idle)', () => {
    const umh = createUmhInput();
    const decode = (state: number) => umh.decode('ia/acme/Assembly-1/Press/state', json({ timestamp_ms: T, state }));
    expect(decode(10000)).toEqual({
      events: [{ line: 'assembly-1', station: 'press', source: 'umh', ts: T, type: 'state', state: 'running' }],
    });
    expect(decode(40100)).toMatchObject({ events: [{ state: 'idle' }] });
    expect(decode(60300)).toMatchObject({ events: [{ state: 'starved' }] });
    expect(decode(999999)).toMatchObject({ error: { code: 'STATE_UNKNOWN' } });
  });

  it('turns count into good and scrap, scrapCount into scrap', () => {
    const umh = createUmhInput();
    expect(umh.decode('ia/c/l1/s1/count', json({ timestamp_ms: T, count: 5, scrap: 1 }))).toMatchObject({
      events: [{ type: 'count', good: 4, scrap: 1 }],
    });
    expect(umh.decode('ia/c/l1/s1/scrapCount', json({ timestamp_ms: T, scrap: 2 }))).toMatchObject({
      events: [{ type: 'count', good: 0, scrap: 2 }],
    });
  });

  it('applies overrides and cumulative counters with reset detection', () => {
    const umh = createUmhInput({
      overrides: { 'loc 7/m1': { line: 'line-x', station: 'mill' } },
      counters: 'cumulative',
    });
    expect(umh.decode('ia/c/loc 7/m1/count', json({ timestamp_ms: T, count: 100 }))).toEqual({ events: [] });
    expect(umh.decode('ia/c/loc 7/m1/count', json({ timestamp_ms: T, count: 103 }))).toMatchObject({
      events: [{ line: 'line-x', station: 'mill', good: 3 }],
    });
    expect(umh.decode('ia/c/loc 7/m1/count', json({ timestamp_ms: T, count: 2 }))).toMatchObject({
      events: [{ good: 2 }],
    });
  });

  it('ignores (and counts apart) UMH messages Floorboard does not use; rejects bad ones with a code', () => {
    const umh = createUmhInput();
    expect(umh.decode('ia/c/l/s/addOrder', json({}))).toEqual({ ignored: 'addOrder' });
    expect(umh.decode('ia/c/l/s/state', Buffer.from('{oops'))).toMatchObject({ error: { code: 'PAYLOAD_NOT_JSON' } });
    expect(umh.decode('ia/c/l/s/state', json({ timestamp_ms: T / 1000, state: 10000 }))).toMatchObject({
      error: { code: 'TIMESTAMP_INVALID' },
    });
    expect(umh.decode('ia/c/l/s', json({}))).toMatchObject({ error: { code: 'TOPIC_UNKNOWN' } });
    expect(umh.decode('ia/c/l/s/bogus', json({}))).toMatchObject({ error: { code: 'TOPIC_CHANNEL_UNKNOWN' } });
  });
});
