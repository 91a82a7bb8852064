import { getActivePinia } from 'pinia';
import { zoneOffsetMs, zonedTimeToUtc } from '@floorboard/shared';
import { currentLocale, t } from '../locales/i18n';
import { browserTimezone, usePlantCalendarStore } from '../stores/plant-calendar';

/*
 * Every number, time and date the dashboard shows, in the active language and — for times and dates — in
 * the plant's timezone (shop-floor times are plant-local, wherever the browser is). Called from a template
 * or computed, the caller re-renders when the language switches or the plant calendar arrives.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Shown for a value that does not exist (no OEE without planned time, an unparsable instant). */
export const NO_VALUE = '—';

/** The plant's IANA timezone; the browser's until the calendar is loaded (or outside an app, as in a unit test). */
export function plantTimezone(): string {
  const pinia = getActivePinia();
  return pinia ? usePlantCalendarStore(pinia).timezone : browserTimezone();
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const locale = currentLocale();
  const key = `n|${name}|${locale}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

function dateFormat(name: string, options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  const locale = currentLocale();
  const key = `d|${name}|${locale}|${timeZone}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) cache.set(key, (format = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return format;
}

function toDate(value: string | number | Date): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A duration the way a wall screen shows it: two units at most, the smaller one zero-padded, units in the
 * active language (`4m 12s` / `4 min 12 s`, `1h 03m` / `1 h 03 min`). Negative input (clock skew) counts as zero.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / SECOND));
  if (total * SECOND < MINUTE) return fillDuration('duration.seconds', { s: total });
  const seconds = total * SECOND;
  if (seconds < HOUR) {
    return fillDuration('duration.minutesSeconds', { m: Math.floor(seconds / MINUTE), s: pad2(total % 60) });
  }
  if (seconds < DAY) {
    return fillDuration('duration.hoursMinutes', {
      h: Math.floor(seconds / HOUR),
      m: pad2(Math.floor((seconds % HOUR) / MINUTE)),
    });
  }
  return fillDuration('duration.daysHours', {
    d: Math.floor(seconds / DAY),
    h: pad2(Math.floor((seconds % DAY) / HOUR)),
  });
}

type DurationKey = 'duration.seconds' | 'duration.minutesSeconds' | 'duration.hoursMinutes' | 'duration.daysHours';
const durationTemplates = new Map<string, string>();

/**
 * A duration text from its message with the placeholders filled by plain string replacement. vue-i18n's t()
 * costs about 0.1 ms a call, and a wall screen formats 144 ticking durations every second; so each language's
 * template is taken from t() once (placeholders passed through as themselves) and then only filled in.
 */
function fillDuration(key: DurationKey, values: Record<string, string | number>): string {
  const cacheKey = `${currentLocale()}|${key}`;
  let template = durationTemplates.get(cacheKey);
  if (template === undefined) {
    template = t(key, { d: '{d}', h: '{h}', m: '{m}', s: '{s}' });
    durationTemplates.set(cacheKey, template);
  }
  return template.replace(/\{([dhms])\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}

/** A piece count with the language's digit grouping (`12,345` / `12.345`). */
export function formatCount(value: number): string {
  return numberFormat('count', { maximumFractionDigits: 0 }).format(value);
}

/** A measured number such as units per hour, with at most `fractionDigits` decimals (`42.5` / `42,5`). */
export function formatNumber(value: number | null | undefined, fractionDigits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return numberFormat(`number-${fractionDigits}`, { maximumFractionDigits: fractionDigits }).format(value);
}

/**
 * A ratio (0.853) as a percentage with a fixed number of decimals (`85.3%` / `85,3 %`); null, undefined and
 * NaN — an OEE without planned time — show as `—`.
 */
export function formatPercent(ratio: number | null | undefined, fractionDigits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NO_VALUE;
  return numberFormat(`percent-${fractionDigits}`, {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(ratio);
}

/** The instants whose wall time repeats when the clocks go back: [from, to), `to` exclusive. */
interface RepeatedStretch {
  from: number;
  to: number;
}

/**
 * Per zone and UTC day: the stretch of instants whose wall time repeats because the clocks go back on or next to
 * that day, else null. Worked out once per zone and day (two Intl calls on an ordinary day, a bisection on the
 * day of a change), so telling an instant in a repeated hour from any other costs a map lookup afterwards.
 */
const repeatedStretches = new Map<string, RepeatedStretch | null>();

/** The last answer: a ticking clock asks about the same zone and day again and again. */
let lastStretch: { timeZone: string; day: number; stretch: RepeatedStretch | null } | null = null;

function repeatedStretchNear(ts: number, timeZone: string): RepeatedStretch | null {
  const day = Math.floor(ts / DAY);
  if (lastStretch?.day === day && lastStretch.timeZone === timeZone) return lastStretch.stretch;
  const key = `${timeZone}|${day}`;
  let stretch = repeatedStretches.get(key);
  if (stretch === undefined) {
    // Three hours either side: an instant of this day is repeated by a change at most that far away (no zone goes
    // back by more, nor changes twice within a day and a half).
    stretch = findRepeatedStretch(day * DAY - 3 * HOUR, (day + 1) * DAY + 3 * HOUR, timeZone);
    repeatedStretches.set(key, stretch);
  }
  lastStretch = { timeZone, day, stretch };
  return stretch;
}

/** Where the zone's clocks go back between `from` and `to` (whole seconds), the instants that read the same. */
function findRepeatedStretch(from: number, to: number, timeZone: string): RepeatedStretch | null {
  const before = zoneOffsetMs(from, timeZone);
  const back = before - zoneOffsetMs(to, timeZone);
  if (back <= 0) return null; // no change, or the clocks go forward: nothing repeats
  // Bisection to the second at which the offset changes (`high`: the first with the new offset).
  let low = from;
  let high = to;
  while (high - low > SECOND) {
    const middle = low + Math.floor((high - low) / 2 / SECOND) * SECOND;
    if (zoneOffsetMs(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  // The last `back` before the change and the first `back` after it show the same wall times.
  return { from: high - back, to: high + back };
}

/**
 * Whether the wall-clock time of `ts` in `timeZone` names two instants: it lies in the hour that repeats when
 * the clocks go back (Berlin, 2026-10-25: 02:30 is 00:30 UTC in CEST and again 01:30 UTC in CET).
 */
export function isAmbiguousWallTime(ts: number, timeZone: string): boolean {
  const stretch = repeatedStretchNear(ts, timeZone);
  return stretch !== null && ts >= stretch.from && ts < stretch.to;
}

/**
 * An instant in the plant's timezone. In a repeated hour the zone is named (`02:30 GMT+2` / `02:30 MESZ`, then
 * `02:30 GMT+1` / `02:30 MEZ`), so the two readings differ; every other time stays unlabelled.
 */
function formatInstant(name: string, options: Intl.DateTimeFormatOptions, value: string | number | Date): string {
  const date = toDate(value);
  if (!date) return String(value);
  const timeZone = plantTimezone();
  return isAmbiguousWallTime(date.getTime(), timeZone)
    ? dateFormat(`${name}-zoned`, { ...options, timeZoneName: 'short' }, timeZone).format(date)
    : dateFormat(name, options, timeZone).format(date);
}

/**
 * Plant-local wall-clock time with seconds (`14:03:27`, 24-hour as on a shop floor, in both languages; with the
 * zone in a repeated hour).
 */
export function formatClock(value: string | number | Date): string {
  return formatInstant('clock', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }, value);
}

/** Plant-local time without seconds (`14:03`; with the zone in a repeated hour), for chart axes and shift boundaries. */
export function formatTime(value: string | number | Date): string {
  return formatInstant('time', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, value);
}

/** The plant-local day and month of an instant (`Mar 29` / `29. März`), for chart axes. */
export function formatDayMonth(value: string | number | Date): string {
  const date = toDate(value);
  if (!date) return String(value);
  return dateFormat('day-month', { month: 'short', day: 'numeric' }, plantTimezone()).format(date);
}

/** The plant-local calendar date of an instant (`Mar 29, 2026` / `29.03.2026`). */
export function formatDate(value: string | number | Date): string {
  const date = toDate(value);
  if (!date) return String(value);
  return dateFormat('date', { year: 'numeric', month: 'short', day: 'numeric' }, plantTimezone()).format(date);
}

/**
 * A production day or other plant-local calendar date given as `YYYY-MM-DD`, shown without shifting it through
 * any timezone (`Mar 29, 2026` / `29.03.2026`).
 */
export function formatDay(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  return dateFormat('date', { year: 'numeric', month: 'short', day: 'numeric' }, 'UTC').format(
    Date.UTC(year, month - 1, day),
  );
}

/**
 * Plant-local date and time of an instant (`Mar 2, 2026, 14:03:27` / `02.03.2026, 14:03:27`; with the zone in a
 * repeated hour).
 */
export function formatDateTime(value: string | number | Date): string {
  return formatInstant(
    'date-time',
    {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    },
    value,
  );
}

/**
 * A `datetime-local` input's value (`2026-03-29T02:30[:15]`), read as plant-local time, as an ISO instant;
 * undefined when empty or invalid. A time in the spring-forward gap moves forward by the gap, an ambiguous
 * autumn time is its first occurrence.
 */
export function localInputToIso(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const start = zonedTimeToUtc({ year, month, day }, `${pad2(hour)}:${pad2(minute)}`, plantTimezone());
  return new Date(start + second * SECOND).toISOString();
}
