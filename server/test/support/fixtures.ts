import type { PlantFile, StationEvent } from '@floorboard/shared';

export const TEST_PLANT: PlantFile = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  microStopSeconds: 120,
  shifts: [{ name: 'Early', start: '06:00', end: '14:00' }],
  lines: [
    {
      key: 'line-a',
      name: 'Line A',
      site: 'plant-t',
      idealCycleTimeSec: 30,
      stations: [
        { key: 'first', name: 'First', idealCycleTimeSec: 20 },
        { key: 'middle', name: 'Middle', idealCycleTimeSec: 30 },
        { key: 'last', name: 'Last', idealCycleTimeSec: 25 },
      ],
    },
  ],
};

let nextSeq = 1;

/** A valid canonical event for line-a; seq increases per call unless given. */
export function stationEvent(patch: Partial<StationEvent> = {}): StationEvent {
  return {
    gatewayId: 'gw-test',
    seq: nextSeq++,
    line: 'line-a',
    station: 'middle',
    ts: Date.now() - 1000,
    type: 'state',
    state: 'running',
    source: 'floorboard-json',
    ...patch,
  } as StationEvent;
}
