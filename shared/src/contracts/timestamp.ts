import { z } from 'zod';

/** Earliest and latest event times we accept: 2000-01-01 .. 2100-01-01 (guards against seconds-vs-ms mix-ups). */
export const MIN_EVENT_TS = Date.UTC(2000, 0, 1);
export const MAX_EVENT_TS = Date.UTC(2100, 0, 1);

/** Date.parse rolls 2025-02-30 over to 2 March; a station sending that has a broken clock. */
function isRealCalendarDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * An event time given as epoch milliseconds or an ISO 8601 string with an offset, normalised to epoch ms.
 * ISO strings without an offset are rejected: a station's local time is ambiguous across DST.
 */
export const eventTimeSchema = z
  .union([
    z.number().int(),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'ISO 8601 with offset')
      .refine(isRealCalendarDate, 'not a real calendar date')
      .transform((s) => Date.parse(s)),
  ])
  .refine((ms) => Number.isFinite(ms) && ms >= MIN_EVENT_TS && ms < MAX_EVENT_TS, {
    message: 'timestamp out of range (expected epoch milliseconds between 2000 and 2100)',
  });
