import { getActivePinia } from 'pinia';
import { zonedTimeToUtc } from '@floorboard/shared';
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

/** Plant-local wall-clock time with seconds (`14:03:27`, 24-hour as on a shop floor, in both languages). */
export function formatClock(value: string | number | Date): string {
  const date = toDate(value);
  if (!date) return String(value);
  return dateFormat(
    'clock',
    { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    plantTimezone(),
  ).format(date);
}

/** Plant-local time without seconds (`14:03`), for chart axes and shift boundaries. */
export function formatTime(value: string | number | Date): string {
  const date = toDate(value);
  if (!date) return String(value);
  return dateFormat('time', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, plantTimezone()).format(date);
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

/** Plant-local date and time of an instant (`Mar 2, 2026, 14:03:27` / `02.03.2026, 14:03:27`). */
export function formatDateTime(value: string | number | Date): string {
  const date = toDate(value);
  if (!date) return String(value);
  return dateFormat(
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
    plantTimezone(),
  ).format(date);
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
