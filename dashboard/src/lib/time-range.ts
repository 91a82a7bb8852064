import { localParts, productionDayAt, productionDayOf, shiftAt, shiftOn, type PlantCalendar } from '@floorboard/shared';

/** What the coordinator picked; kept in the page's URL query so a link reproduces the view. */
export type RangeSelection =
  | { kind: 'current-shift' }
  | { kind: 'shift'; date: string; shift: string }
  | { kind: 'day'; date: string }
  | { kind: 'custom'; from: number; to: number };

/** A selection resolved against the plant calendar: the window (epoch ms) and the query the KPI endpoints take. */
export interface ResolvedRange {
  from: number;
  to: number;
  /** `{shift, date}`, `{date}` or `{from, to}` (ISO) for `/kpis`, `/timeline`… */
  query: Record<string, string>;
  /** The shift's name when the range is a shift. */
  shift: string | null;
  /** The production day (`YYYY-MM-DD`) of a shift or day range. */
  date: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function single(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/**
 * The selection a URL query describes (`?range=shift&date&shift`, `?range=day&date`, `?from&to` as ISO instants);
 * anything else is the current shift.
 */
export function parseRangeQuery(query: Record<string, unknown>): RangeSelection {
  const range = single(query.range);
  const date = single(query.date);
  if (range === 'shift' && date && DATE.test(date)) {
    const shift = single(query.shift);
    if (shift) return { kind: 'shift', date, shift };
  }
  if (range === 'day' && date && DATE.test(date)) return { kind: 'day', date };
  const from = Date.parse(single(query.from) ?? '');
  const to = Date.parse(single(query.to) ?? '');
  if (Number.isFinite(from) && Number.isFinite(to) && from < to) return { kind: 'custom', from, to };
  return { kind: 'current-shift' };
}

/** The URL query for a selection (the inverse of `parseRangeQuery`); the current shift needs none. */
export function rangeToQuery(selection: RangeSelection): Record<string, string> {
  switch (selection.kind) {
    case 'current-shift':
      return {};
    case 'shift':
      return { range: 'shift', date: selection.date, shift: selection.shift };
    case 'day':
      return { range: 'day', date: selection.date };
    case 'custom':
      return { from: new Date(selection.from).toISOString(), to: new Date(selection.to).toISOString() };
  }
}

/** The query keys `rangeToQuery` may write: the page drops them before writing a new range. */
export const RANGE_QUERY_KEYS = ['range', 'date', 'shift', 'from', 'to'] as const;

/**
 * The window of a selection in the plant calendar. The current shift is the shift running at `now`, or the
 * production day when no shift covers `now`. A shift name the calendar does not know gives null.
 */
export function resolveRange(selection: RangeSelection, calendar: PlantCalendar, now: number): ResolvedRange | null {
  switch (selection.kind) {
    case 'current-shift': {
      const shift = shiftAt(now, calendar);
      if (shift) return resolveRange({ kind: 'shift', date: shift.date, shift: shift.name }, calendar, now);
      const day = productionDayAt(now, calendar.productionDayStart, calendar.timezone);
      return resolveRange({ kind: 'day', date: day.date }, calendar, now);
    }
    case 'shift': {
      const shift = shiftOn(selection.shift, selection.date, calendar);
      if (!shift) return null;
      const query = { shift: shift.name, date: shift.date };
      return { from: shift.start, to: shift.end, query, shift: shift.name, date: shift.date };
    }
    case 'day': {
      const day = productionDayOf(selection.date, calendar.productionDayStart, calendar.timezone);
      return { from: day.start, to: day.end, query: { date: day.date }, shift: null, date: day.date };
    }
    case 'custom':
      return {
        from: selection.from,
        to: selection.to,
        query: { from: new Date(selection.from).toISOString(), to: new Date(selection.to).toISOString() },
        shift: null,
        date: null,
      };
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` value (`YYYY-MM-DDTHH:MM`) on the plant's wall clock. */
export function toPlantLocalInput(ts: number, timeZone: string): string {
  const p = localParts(ts, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The production day (`YYYY-MM-DD`) containing `now` in the plant calendar. */
export function productionDateAt(now: number, calendar: PlantCalendar): string {
  return productionDayAt(now, calendar.productionDayStart, calendar.timezone).date;
}
