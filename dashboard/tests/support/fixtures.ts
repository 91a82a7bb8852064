import type {
  LineLive,
  LineSnapshotPayload,
  LineSummary,
  StationCountsUpdatedPayload,
  StationLive,
  StationStateChangedPayload,
} from '@floorboard/shared';

export const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

export function station(key: string, overrides: Partial<StationLive> = {}): StationLive {
  return {
    key,
    name: key[0].toUpperCase() + key.slice(1),
    state: 'running',
    since: T0,
    reason: null,
    good: 0,
    scrap: 0,
    ...overrides,
  };
}

export function lineLive(overrides: Partial<LineLive> = {}): LineLive {
  return {
    line: 'assembly-1',
    name: 'Assembly 1',
    rev: 10,
    ts: T0,
    stations: [station('press'), station('weld', { state: 'starved' }), station('paint', { state: 'down' })],
    period: null,
    throughput: null,
    oee: null,
    bottleneck: null,
    ...overrides,
  };
}

export function snapshotPayload(rev = 10, overrides: Partial<LineLive> = {}): LineSnapshotPayload {
  const snapshot = lineLive({ rev, ...overrides });
  return { line: snapshot.line, ts: snapshot.ts, rev, snapshot };
}

export function stateChanged(
  rev: number,
  stationKey: string,
  overrides: Partial<StationStateChangedPayload> = {},
): StationStateChangedPayload {
  return {
    line: 'assembly-1',
    ts: T0 + rev * 1000,
    rev,
    station: stationKey,
    state: 'down',
    previous: 'running',
    since: T0 + rev * 1000,
    reason: 'jam',
    ...overrides,
  };
}

export function countsUpdated(rev: number, stationKey: string, good: number, scrap = 0): StationCountsUpdatedPayload {
  return { line: 'assembly-1', ts: T0 + rev * 1000, rev, station: stationKey, good, scrap };
}

export const ASSEMBLY_SUMMARY: LineSummary = {
  key: 'assembly-1',
  name: 'Assembly 1',
  site: 'plant-a',
  idealCycleTimeSec: 40,
  stations: [
    { key: 'press', name: 'Press', idealCycleTimeSec: 25, position: 1 },
    { key: 'weld', name: 'Weld', idealCycleTimeSec: 30, position: 2 },
    { key: 'paint', name: 'Paint', idealCycleTimeSec: 40, position: 3 },
  ],
};
