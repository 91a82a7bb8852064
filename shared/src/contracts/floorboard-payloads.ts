import { z } from 'zod';
import { STATION_STATES } from './station-state.js';
import { eventTimeSchema } from './timestamp.js';

/** Payloads a station publishes on `floorboard/v1/...` topics (DESIGN.md §4.1). */
export const floorboardStatePayloadSchema = z.object({
  ts: eventTimeSchema,
  state: z.enum(STATION_STATES),
  reason: z.string().min(1).max(200).optional(),
});

export const floorboardCountPayloadSchema = z
  .object({
    ts: eventTimeSchema,
    good: z.number().int().min(0).max(1_000_000).default(0),
    scrap: z.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((p) => p.good + p.scrap > 0, { message: 'a count needs good or scrap above 0', path: ['good'] });

export const floorboardCyclePayloadSchema = z.object({
  ts: eventTimeSchema,
  ms: z.number().int().positive().max(86_400_000),
});

export type FloorboardStatePayload = z.infer<typeof floorboardStatePayloadSchema>;
export type FloorboardCountPayload = z.infer<typeof floorboardCountPayloadSchema>;
export type FloorboardCyclePayload = z.infer<typeof floorboardCyclePayloadSchema>;
