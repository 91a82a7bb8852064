import type { PlantFile, StationEvent, StationState } from '@floorboard/shared';

/** Berlin plant with three shifts covering the day; every line's ideal cycle time is 60 s. */
export const KPI_PLANT: PlantFile = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  microStopSeconds: 120,
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
  lines: [
    ...['iso', 'night', 'dst', 'late', 'restart'].map((key) => ({
      key,
      name: key,
      site: 'plant-k',
      idealCycleTimeSec: 60,
      stations: [{ key: 'cell', name: 'Cell', idealCycleTimeSec: 60 }],
    })),
    {
      key: 'flow',
      name: 'Flow',
      site: 'plant-k',
      idealCycleTimeSec: 60,
      stations: ['s1', 's2', 's3'].map((key) => ({ key, name: key.toUpperCase(), idealCycleTimeSec: 60 })),
    },
  ],
};

let seq = 1;

/** A state event at an ISO instant (or epoch ms). */
export function stateAt(
  line: string,
  station: string,
  at: string | number,
  state: StationState,
  extra: Partial<StationEvent> = {},
): StationEvent {
  return {
    gatewayId: 'gw-kpi',
    seq: seq++,
    line,
    station,
    ts: typeof at === 'number' ? at : Date.parse(at),
    type: 'state',
    state,
    source: 'floorboard-json',
    ...extra,
  } as StationEvent;
}

/** A count event (increments) at an ISO instant (or epoch ms). */
export function countAt(
  line: string,
  station: string,
  at: string | number,
  good: number,
  scrap = 0,
  extra: Partial<StationEvent> = {},
): StationEvent {
  return {
    gatewayId: 'gw-kpi',
    seq: seq++,
    line,
    station,
    ts: typeof at === 'number' ? at : Date.parse(at),
    type: 'count',
    good,
    scrap,
    source: 'floorboard-json',
    ...extra,
  } as StationEvent;
}
