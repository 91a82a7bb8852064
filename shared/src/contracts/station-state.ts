/** Canonical station states (DESIGN.md §5). Every input protocol maps onto these. */
export const STATION_STATES = [
  'running',
  'idle',
  'starved',
  'blocked',
  'down',
  'changeover',
  'maintenance',
  'break',
  'offline',
] as const;

export type StationState = (typeof STATION_STATES)[number];

export function isStationState(value: unknown): value is StationState {
  return typeof value === 'string' && (STATION_STATES as readonly string[]).includes(value);
}
