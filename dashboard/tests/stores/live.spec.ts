import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useLiveStore } from '../../src/stores/live';
import { countsUpdated, snapshotPayload, stateChanged, T0 } from '../support/fixtures';

describe('live store rev rules', () => {
  let live: ReturnType<typeof useLiveStore>;

  beforeEach(() => {
    setActivePinia(createPinia());
    live = useLiveStore();
  });

  it('applies a snapshot and remembers its rev', () => {
    expect(live.applySnapshot(snapshotPayload(10), T0)).toBe('applied');
    const entry = live.lines['assembly-1'];
    expect(entry.rev).toBe(10);
    expect(entry.stale).toBe(false);
    expect(entry.lastUpdateAt).toBe(T0);
    expect(entry.snapshot.stations.map((s) => s.key)).toEqual(['press', 'weld', 'paint']);
  });

  it('applies line:metrics-updated in rev order and treats it like any delta for gaps', () => {
    live.applySnapshot(snapshotPayload(10));
    const metrics = {
      period: { kind: 'shift' as const, name: 'Early', start: T0, end: T0 + 8 * 3_600_000 },
      throughput: { unitsPerHour: 50, targetPerHour: 60, periodUnitsPerHour: 48, good: 96, scrap: 2 },
      oee: { availability: 0.9, performance: 0.95, quality: 0.98, oee: 0.8379 },
      bottleneck: {
        station: 'paint',
        kind: 'momentary' as const,
        tied: ['paint'],
        activeSince: T0,
        period: { station: 'paint', shares: [] },
      },
    };
    expect(live.applyMetricsUpdated({ line: 'assembly-1', ts: T0 + 1, rev: 11, metrics })).toBe('applied');
    expect(live.lines['assembly-1'].snapshot).toMatchObject({
      rev: 11,
      oee: metrics.oee,
      bottleneck: { station: 'paint' },
    });
    expect(live.applyMetricsUpdated({ line: 'assembly-1', ts: T0 + 2, rev: 11, metrics })).toBe('stale');
    expect(live.applyMetricsUpdated({ line: 'assembly-1', ts: T0 + 3, rev: 13, metrics })).toBe('gap');
  });

  it('applies in-order deltas (rev = last + 1)', () => {
    live.applySnapshot(snapshotPayload(10));
    expect(live.applyStateChanged(stateChanged(11, 'press', { state: 'down', reason: 'jam' }), T0 + 5000)).toBe(
      'applied',
    );
    expect(live.applyCountsUpdated(countsUpdated(12, 'weld', 42, 3))).toBe('applied');

    const entry = live.lines['assembly-1'];
    expect(entry.rev).toBe(12);
    const press = entry.snapshot.stations[0];
    expect(press).toMatchObject({ state: 'down', reason: 'jam', since: T0 + 11_000 });
    expect(entry.snapshot.stations[1]).toMatchObject({ good: 42, scrap: 3 });
    expect(entry.snapshot.rev).toBe(12);
  });

  it.each([
    ['a repeated rev', 10],
    ['an older rev', 7],
  ])('ignores %s as stale', (_label, rev) => {
    live.applySnapshot(snapshotPayload(10));
    const before = live.lines['assembly-1'];
    expect(live.applyStateChanged(stateChanged(rev, 'press'))).toBe('stale');
    expect(live.applyCountsUpdated(countsUpdated(rev, 'press', 99))).toBe('stale');
    expect(live.lines['assembly-1']).toStrictEqual(before);
  });

  it('detects a gap, does not apply the delta and marks the line stale', () => {
    live.applySnapshot(snapshotPayload(10));
    expect(live.applyStateChanged(stateChanged(12, 'press'))).toBe('gap');
    const entry = live.lines['assembly-1'];
    expect(entry.rev).toBe(10);
    expect(entry.stale).toBe(true);
    expect(entry.snapshot.stations[0].state).toBe('running');
  });

  it('reports a gap for a delta before any snapshot or for an unknown station', () => {
    expect(live.applyCountsUpdated(countsUpdated(1, 'press', 1))).toBe('gap');
    expect(live.lines['assembly-1']).toBeUndefined();

    live.applySnapshot(snapshotPayload(10));
    expect(live.applyStateChanged(stateChanged(11, 'laser'))).toBe('gap');
    expect(live.lines['assembly-1'].stale).toBe(true);
  });

  it('takes a fresh snapshot after a gap and continues from its rev', () => {
    live.applySnapshot(snapshotPayload(10));
    live.applyStateChanged(stateChanged(13, 'press'));
    expect(live.applySnapshot(snapshotPayload(13))).toBe('applied');
    expect(live.lines['assembly-1'].stale).toBe(false);
    expect(live.applyCountsUpdated(countsUpdated(14, 'press', 5))).toBe('applied');
  });

  it('ignores an older snapshot while healthy, but accepts any snapshot once stale (server restarted)', () => {
    live.applySnapshot(snapshotPayload(10));
    expect(live.applySnapshot(snapshotPayload(9))).toBe('stale');
    expect(live.lines['assembly-1'].rev).toBe(10);

    live.markAllStale();
    expect(live.applySnapshot(snapshotPayload(0))).toBe('applied');
    expect(live.lines['assembly-1']).toMatchObject({ rev: 0, stale: false });
  });

  it('clears a subscribe error once a snapshot arrives, and forgets a line completely', () => {
    live.setSubscribeError('assembly-1', 'LINE_NOT_FOUND');
    live.applySnapshot(snapshotPayload(1));
    expect(live.subscribeErrors['assembly-1']).toBeUndefined();

    live.forget('assembly-1');
    expect(live.lines['assembly-1']).toBeUndefined();
  });
});
