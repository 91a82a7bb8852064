import { locale, t } from '../locales/i18n';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A duration the way a wall screen shows it: two units at most, the smaller one zero-padded.
 * `42s`, `4m 12s`, `1h 03m`, `2d 05h`. Negative input (clock skew) counts as zero.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / SECOND)) * SECOND;
  const s = t('units.second');
  const m = t('units.minute');
  const h = t('units.hour');
  const d = t('units.day');
  if (total < MINUTE) return `${total / SECOND}${s}`;
  if (total < HOUR) return `${Math.floor(total / MINUTE)}${m} ${pad2(Math.floor((total % MINUTE) / SECOND))}${s}`;
  if (total < DAY) return `${Math.floor(total / HOUR)}${h} ${pad2(Math.floor((total % HOUR) / MINUTE))}${m}`;
  return `${Math.floor(total / DAY)}${d} ${pad2(Math.floor((total % DAY) / HOUR))}${h}`;
}

const countFormat = new Intl.NumberFormat(locale);
const clockFormat = new Intl.DateTimeFormat(locale, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A piece count with digit grouping (`12,345`). */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** Wall-clock time of an epoch-ms instant in the viewer's timezone (`14:03:27`, 24-hour as on a shop floor). */
export function formatClock(epochMs: number): string {
  return clockFormat.format(epochMs);
}

const dateTimeFormat = new Intl.DateTimeFormat(locale, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Date and time of an ISO instant or epoch ms in the viewer's timezone (`Mar 2, 2026, 14:03:27`). */
export function formatDateTime(value: string | number): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTimeFormat.format(date);
}

/** A `datetime-local` input's value (the browser's local time) as an ISO instant; undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
