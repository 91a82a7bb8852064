import { validateIngestBatch } from './validate-batch.js';

const T = Date.parse('2026-11-28T08:00:00Z');
const event = (seq: number, extra: Record<string, unknown> = {}) => ({
  gatewayId: 'gw-1',
  seq,
  line: 'assembly-1',
  station: 'press',
  ts: T + seq,
  type: 'state',
  state: 'running',
  source: 'floorboard-json',
  ...extra,
});

describe('validateIngestBatch', () => {
  it('accepts a batch of valid events', () => {
    const result = validateIngestBatch({
      gatewayId: 'gw-1',
      events: [event(1), event(2, { type: 'count', state: undefined, good: 2 })],
    });
    expect(result.ok && result.batch.valid.map((e) => e.seq)).toEqual([1, 2]);
  });

  it.each([
    [{ state: 'exploded' }, 'EVENT_INVALID', 'state'],
    [{ ts: 1_700_000_000 }, 'EVENT_INVALID', 'ts'],
    [{ line: 'Line 1; DROP TABLE lines' }, 'EVENT_INVALID', 'line'],
    [{ type: 'count', state: undefined }, 'EVENT_INVALID', 'good'],
    [{ extra: 'field' }, 'EVENT_INVALID', 'extra'],
    [{ gatewayId: 'gw-2' }, 'EVENT_GATEWAY_MISMATCH', 'gw-2'],
  ])('rejects %j individually with %s', (patch, code, mentioned) => {
    const result = validateIngestBatch({ gatewayId: 'gw-1', events: [event(1), event(2, patch), event(3)] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.batch.valid.map((e) => e.seq)).toEqual([1, 3]);
    expect(result.batch.rejected).toHaveLength(1);
    expect(result.batch.rejected[0]).toMatchObject({ seq: 2, code });
    expect(result.batch.rejected[0]!.message).toContain(mentioned);
  });

  it('keeps the seq null when the event has none', () => {
    const result = validateIngestBatch({ gatewayId: 'gw-1', events: [{ nonsense: true }] });
    expect(result.ok && result.batch.rejected[0]!.seq).toBeNull();
  });

  it('counts a seq repeated inside one batch once', () => {
    const result = validateIngestBatch({ gatewayId: 'gw-1', events: [event(1), event(1), event(2)] });
    expect(result.ok && result.batch.repeatedInBatch).toBe(1);
    expect(result.ok && result.batch.valid).toHaveLength(2);
  });

  it.each([
    [null],
    [[]],
    ['text'],
    [{ events: [] }],
    [{ gatewayId: 'gw-1' }],
    [{ gatewayId: 'gw-1', events: 'x' }],
    [{ gatewayId: 'gw-1', events: [1, 2] }],
    [{ gatewayId: 'gw-1', events: [], admin: true }],
  ])('fails the whole request for a malformed envelope %j', (body) => {
    expect(validateIngestBatch(body).ok).toBe(false);
  });
});
