/**
 * Plant-local calendar maths. The host's TZ never matters: everything goes through the plant's
 * IANA timezone with Intl, so DST days come out 23 or 25 hours long.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(ts: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ts))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of the zone from UTC at instant `ts`, in ms (Berlin in summer: +7_200_000). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  const p = localParts(ts, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (ts - (((ts % 1000) + 1000) % 1000));
}

/**
 * The instant of a local wall-clock time. A time inside the spring-forward gap is pushed forward by
 * the gap length (02:30 becomes 03:30); an ambiguous autumn time resolves to its first occurrence.
 */
export function zonedTimeToUtc(
  date: { year: number; month: number; day: number },
  clock: string,
  timeZone: string,
): number {
  const [hour, minute] = clock.split(':').map(Number) as [number, number];
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Try both offsets around the wall time; keep candidates that really show this wall time.
  const offsets = new Set([zoneOffsetMs(wall - 86_400_000, timeZone), zoneOffsetMs(wall + 86_400_000, timeZone)]);
  const exact = [...offsets]
    .map((offset) => wall - offset)
    .filter((ts) => {
      const p = localParts(ts, timeZone);
      return p.hour === hour && p.minute === minute && p.day === date.day;
    })
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // In the gap: reading the wall time with the offset before the jump lands past the jump.
  return wall - Math.min(...offsets);
}

function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export interface ProductionDay {
  /** Local calendar date the production day is named after, `YYYY-MM-DD`. */
  date: string;
  start: number;
  end: number;
  /** 24 on ordinary days, 23 or 25 on DST change days. */
  hours: number;
}

function isoDate(d: { year: number; month: number; day: number }): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The production day named `date` (`YYYY-MM-DD`) that starts at local `dayStart` ("06:00"). */
export function productionDayOf(date: string, dayStart: string, timeZone: string): ProductionDay {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const d = { year, month, day };
  const start = zonedTimeToUtc(d, dayStart, timeZone);
  const end = zonedTimeToUtc(addDays(d, 1), dayStart, timeZone);
  return { date: isoDate(d), start, end, hours: (end - start) / 3_600_000 };
}

/** The production day containing instant `ts`. */
export function productionDayAt(ts: number, dayStart: string, timeZone: string): ProductionDay {
  const p = localParts(ts, timeZone);
  const today = { year: p.year, month: p.month, day: p.day };
  const candidate = productionDayOf(isoDate(today), dayStart, timeZone);
  return ts >= candidate.start ? candidate : productionDayOf(isoDate(addDays(today, -1)), dayStart, timeZone);
}
