import type { StationEvent } from '../contracts/station-event.js';
import { applyStationEvent, UNKNOWN_STATION_STATE, type StationLiveState } from './station-live.js';

const base = { gatewayId: 'gw', seq: 1, line: 'l1', station: 's1', source: 'floorboard-json' } as const;
const stateEvent = (ts: number, state: StationEvent['state'], extra: Partial<StationEvent> = {}): StationEvent => ({
  ...base,
  ts,
  type: 'state',
  state,
  ...extra,
});
const T = Date.parse('2026-11-28T08:00:00Z');

describe('applyStationEvent', () => {
  const running: StationLiveState = { ...UNKNOWN_STATION_STATE, state: 'running', since: T, lastStateTs: T };

  it('changes state and since on a new state', () => {
    const { next, change } = applyStationEvent(running, stateEvent(T + 5000, 'down', { reason: 'jam' }));
    expect(change).toEqual({ kind: 'state', previous: 'running' });
    expect(next).toMatchObject({ state: 'down', since: T + 5000, reason: 'jam', lastStateTs: T + 5000 });
  });

  it('keeps since when the same state is repeated', () => {
    const { next, change } = applyStationEvent(running, stateEvent(T + 5000, 'running'));
    expect(change).toEqual({ kind: 'none' });
    expect(next.since).toBe(T);
    expect(next.lastStateTs).toBe(T + 5000);
  });

  it('reports a reason-only change', () => {
    const down = { ...running, state: 'down' as const, reason: null };
    expect(applyStationEvent(down, stateEvent(T + 1, 'down', { reason: 'jam' })).change).toEqual({ kind: 'reason' });
  });

  it('ignores a late state event older than the newest applied one', () => {
    const { next, change } = applyStationEvent(running, stateEvent(T - 1000, 'down'));
    expect(change).toEqual({ kind: 'none' });
    expect(next).toBe(running);
  });

  it('never lets historical (backfilled) events change the current state or counts', () => {
    expect(applyStationEvent(running, stateEvent(T + 9000, 'down', { historical: true })).next).toBe(running);
    const count: StationEvent = { ...base, ts: T + 1, type: 'count', good: 3, historical: true };
    expect(applyStationEvent(running, count).next).toBe(running);
  });

  it('adds good and scrap increments, late ones included', () => {
    const count = (ts: number, good: number, scrap: number): StationEvent => ({
      ...base,
      ts,
      type: 'count',
      good,
      scrap,
    });
    const a = applyStationEvent(running, count(T + 1, 2, 1)).next;
    const b = applyStationEvent(a, count(T - 60_000, 1, 0));
    expect(b.change).toEqual({ kind: 'counts' });
    expect(b.next).toMatchObject({ good: 3, scrap: 1 });
  });

  it('ignores cycle events for live state', () => {
    const cycle: StationEvent = { ...base, ts: T + 1, type: 'cycle', cycleMs: 31000 };
    expect(applyStationEvent(running, cycle)).toEqual({ next: running, change: { kind: 'none' } });
  });
});
