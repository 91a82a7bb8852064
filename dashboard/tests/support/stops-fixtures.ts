import type { Alert, Stop, StopReason } from '@floorboard/shared';
import { T0 } from './fixtures';

const reason = (key: string, name: string, parent: string | null, category: StopReason['category'] = 'unplanned') =>
  ({ key, name, parent, category, oeeBucket: 'availability' }) satisfies StopReason;

/** A small catalogue in the server's order: two families with leaves, one family without, a planned one. */
export const REASONS: StopReason[] = [
  reason('mechanical', 'Mechanical', null),
  reason('jam', 'Jam', 'mechanical'),
  reason('motor-fault', 'Motor fault', 'mechanical'),
  reason('material', 'Material', null),
  reason('no-material', 'No material', 'material'),
  reason('minor-stop', 'Minor stop', null),
  reason('changeover', 'Changeover', null, 'planned'),
  reason('product-change', 'Product change', 'changeover', 'planned'),
];

const iso = (ms: number) => new Date(ms).toISOString();

/** A stop of `assembly-1`; `startOffsetS`/`endOffsetS` are seconds after T0, `end` null while ongoing. */
export function stop(
  station: string,
  startOffsetS: number,
  endOffsetS: number | null,
  overrides: Partial<Stop> = {},
): Stop {
  const start = T0 + startOffsetS * 1000;
  const end = endOffsetS === null ? null : T0 + endOffsetS * 1000;
  return {
    id: `assembly-1.${station}.${start}`,
    station,
    state: 'down',
    start: iso(start),
    end: end === null ? null : iso(end),
    seconds: end === null ? 0 : (end - start) / 1000,
    reason: null,
    reasonSource: null,
    stationReason: null,
    classifiedBy: null,
    classifiedAt: null,
    ...overrides,
  };
}

export function alert(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: 'station-down',
    lines: ['assembly-1'],
    station: 'press',
    gatewayId: null,
    message: 'press down for 5 min',
    since: iso(T0),
    raisedAt: iso(T0 + 300_000),
    clearedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    fromStation: null,
    percentOfTarget: null,
    ...overrides,
  };
}
