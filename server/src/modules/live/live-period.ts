import {
  productionDayAt,
  shiftAt,
  shiftsOfProductionDay,
  type LivePeriod,
  type ShiftCalendar,
} from '@floorboard/shared';

/**
 * The period the live metrics cover at `now`: the shift in progress; when no shift covers `now`, the production
 * day, ending early where the next shift starts.
 */
export function livePeriodAt(now: number, calendar: ShiftCalendar): LivePeriod {
  const shift = shiftAt(now, calendar);
  if (shift) return { kind: 'shift', name: shift.name, start: shift.start, end: shift.end };
  const day = productionDayAt(now, calendar.productionDayStart, calendar.timezone);
  const next = productionDayAt(day.end, calendar.productionDayStart, calendar.timezone);
  const upcoming = [...shiftsOfProductionDay(day.date, calendar), ...shiftsOfProductionDay(next.date, calendar)]
    .map((s) => s.start)
    .filter((start) => start > now);
  return { kind: 'day', name: null, start: day.start, end: Math.min(day.end, ...upcoming) };
}
