import type { PlantFile } from '../contracts/plant.js';

/**
 * The demo plant `npm start` runs when no `FLOORBOARD_PLANT` is given: two serial lines.
 * `assembly-1` has a clearly slower paint station (40 s against 20–32 s elsewhere), so it has a
 * real bottleneck; on `machining-2` the mill is the slow one.
 */
export const DEMO_PLANT: PlantFile = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  microStopSeconds: 120,
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
  lines: [
    {
      key: 'assembly-1',
      name: 'Assembly 1',
      site: 'plant-a',
      idealCycleTimeSec: 40,
      stations: [
        { key: 'press', name: 'Press', idealCycleTimeSec: 25 },
        { key: 'weld', name: 'Weld', idealCycleTimeSec: 30 },
        { key: 'paint', name: 'Paint', idealCycleTimeSec: 40 },
        { key: 'assemble', name: 'Assemble', idealCycleTimeSec: 32 },
        { key: 'test', name: 'Test', idealCycleTimeSec: 28 },
        { key: 'pack', name: 'Pack', idealCycleTimeSec: 20 },
      ],
    },
    {
      key: 'machining-2',
      name: 'Machining 2',
      site: 'plant-a',
      idealCycleTimeSec: 50,
      stations: [
        { key: 'saw', name: 'Saw', idealCycleTimeSec: 30 },
        { key: 'mill', name: 'Mill', idealCycleTimeSec: 50 },
        { key: 'drill', name: 'Drill', idealCycleTimeSec: 35 },
        { key: 'deburr', name: 'Deburr', idealCycleTimeSec: 25 },
        { key: 'inspect', name: 'Inspect', idealCycleTimeSec: 30 },
      ],
    },
  ],
};
