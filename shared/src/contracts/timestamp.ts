import { z } from 'zod';

/** Earliest and latest event times we accept: 2000-01-01 .. 2100-01-01 (guards against seconds-vs-ms mix-ups). */
export const MIN_EVENT_TS = Date.UTC(2000, 0, 1);
export const MAX_EVENT_TS = Date.UTC(2100, 0, 1);

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
      .transform((s) => Date.parse(s)),
  ])
  .refine((ms) => Number.isFinite(ms) && ms >= MIN_EVENT_TS && ms < MAX_EVENT_TS, {
    message: 'timestamp out of range (expected epoch milliseconds between 2000 and 2100)',
  });
