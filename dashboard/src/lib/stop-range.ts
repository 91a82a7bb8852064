import { productionDayAt, shiftAt, type PlantCalendar } from '@floorboard/shared';

/** The hours the stop list looks back when the plant calendar could not be loaded. */
export const FALLBACK_HOURS = 8;

/** A period to list stops in; `to` may lie in the future while the period is still running. */
export type StopRange =
  | { kind: 'shift'; name: string; from: number; to: number }
  | { kind: 'day'; date: string; from: number; to: number }
  | { kind: 'fallback'; from: number; to: number };

/**
 * What the stop list shows when the page chose no period: the shift in progress, else the production day
 * in progress (plant timezone), else — no calendar — the last eight hours.
 */
export function defaultStopRange(now: number, calendar: PlantCalendar | null): StopRange {
  if (!calendar) return { kind: 'fallback', from: now - FALLBACK_HOURS * 3_600_000, to: now };
  const shift = calendar.shifts.length > 0 ? shiftAt(now, calendar) : null;
  if (shift) return { kind: 'shift', name: shift.name, from: shift.start, to: shift.end };
  const day = productionDayAt(now, calendar.productionDayStart, calendar.timezone);
  return { kind: 'day', date: day.date, from: day.start, to: day.end };
}
