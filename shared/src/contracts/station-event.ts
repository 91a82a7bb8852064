import { z } from 'zod';
import { STATION_STATES } from './station-state.js';
import { MAX_EVENT_TS, MIN_EVENT_TS } from './timestamp.js';

/** Keys used in topics and URLs: lowercase slugs. */
export const keySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_", starting with a letter or digit');

export const EVENT_SOURCES = ['floorboard-json', 'umh', 'sparkplug', 'simulator'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

const MAX_COUNT_PER_EVENT = 1_000_000;

/** The canonical event every gateway input produces (DESIGN.md §4.3). */
export const stationEventSchema = z
  .object({
    gatewayId: z.string().min(1).max(128),
    seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    line: keySchema,
    station: keySchema,
    ts: z.number().int().min(MIN_EVENT_TS).max(MAX_EVENT_TS),
    type: z.enum(['state', 'count', 'cycle']),
    state: z.enum(STATION_STATES).optional(),
    reason: z.string().min(1).max(200).optional(),
    good: z.number().int().min(0).max(MAX_COUNT_PER_EVENT).optional(),
    scrap: z.number().int().min(0).max(MAX_COUNT_PER_EVENT).optional(),
    cycleMs: z.number().int().positive().max(86_400_000).optional(),
    historical: z.boolean().optional(),
    source: z.enum(EVENT_SOURCES),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.type === 'state' && e.state === undefined) {
      ctx.addIssue({ code: 'custom', path: ['state'], message: 'a state event needs "state"' });
    }
    if (e.type === 'count' && e.good === undefined && e.scrap === undefined) {
      ctx.addIssue({ code: 'custom', path: ['good'], message: 'a count event needs "good" or "scrap"' });
    }
    if (e.type === 'cycle' && e.cycleMs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['cycleMs'], message: 'a cycle event needs "cycleMs"' });
    }
  });

export type StationEvent = z.infer<typeof stationEventSchema>;

export const MAX_INGEST_BATCH = 5000;

/**
 * The ingest body. Events are validated one by one on the server (an invalid event is rejected
 * individually), so the envelope only checks that `events` is an array of objects.
 */
export const ingestBatchSchema = z
  .object({
    gatewayId: z.string().min(1).max(128),
    events: z.array(z.record(z.string(), z.unknown())).max(MAX_INGEST_BATCH),
  })
  .strict();

export type IngestBatch = { gatewayId: string; events: StationEvent[] };

export interface IngestRejection {
  seq: number | null;
  code: string;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: IngestRejection[];
}
