import { productionDayAt, productionDayOf, zonedTimeToUtc } from './plant-calendar.js';

/** A shift as the plant file gives it: local wall-clock times; `end` ≤ `start` means it crosses midnight. */
export interface ShiftDefinition {
  name: string;
  start: string;
  end: string;
}

/** The calendar part of the plant file (DESIGN.md §4.2). */
export interface ShiftCalendar {
  timezone: string;
  productionDayStart: string;
  shifts: readonly ShiftDefinition[];
}

/** One occurrence of a shift, as instants. */
export interface ShiftInstance {
  name: string;
  /** The production day (`YYYY-MM-DD`) the instance starts in. */
  date: string;
  start: number;
  end: number;
  /** Real length: a night shift over a DST change is 7 or 9 hours, not 8. */
  hours: number;
}

function shiftDate(date: string, days: number): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The shift instances that start in production day `date`, sorted by start. A shift belongs to the
 * production day its start falls in (with the day starting 06:00, Night 22:00–06:00 of the 27th belongs to
 * the 27th; a 04:00 shift of production day D starts on the calendar day after D). Local times go through
 * the plant timezone (`zonedTimeToUtc`): a start inside the spring-forward gap moves forward by the gap,
 * an ambiguous autumn time takes its first occurrence.
 */
export function shiftsOfProductionDay(date: string, calendar: ShiftCalendar): ShiftInstance[] {
  const day = productionDayOf(date, calendar.productionDayStart, calendar.timezone);
  const out: ShiftInstance[] = [];
  for (const shift of calendar.shifts) {
    for (const offset of [0, 1]) {
      const startDate = shiftDate(date, offset);
      const start = zonedTimeToUtc(startDate, shift.start, calendar.timezone);
      if (start < day.start || start >= day.end) continue;
      const endDate = shiftDate(date, shift.end > shift.start ? offset : offset + 1);
      const end = zonedTimeToUtc(endDate, shift.end, calendar.timezone);
      out.push({ name: shift.name, date: day.date, start, end, hours: (end - start) / 3_600_000 });
      break;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The instance of the shift named `name` on production day `date`; null for an unknown name. */
export function shiftOn(name: string, date: string, calendar: ShiftCalendar): ShiftInstance | null {
  return shiftsOfProductionDay(date, calendar).find((s) => s.name === name) ?? null;
}

/**
 * The shift instance containing instant `ts` (`start ≤ ts < end`), or null when no shift covers it. When
 * shifts overlap, the one that started last (the incoming shift) wins.
 */
export function shiftAt(ts: number, calendar: ShiftCalendar): ShiftInstance | null {
  const today = productionDayAt(ts, calendar.productionDayStart, calendar.timezone);
  const yesterday = productionDayAt(today.start - 1, calendar.productionDayStart, calendar.timezone);
  const candidates = [
    ...shiftsOfProductionDay(yesterday.date, calendar),
    ...shiftsOfProductionDay(today.date, calendar),
  ].filter((s) => s.start <= ts && ts < s.end);
  return candidates.reduce<ShiftInstance | null>((best, s) => (best === null || s.start > best.start ? s : best), null);
}
