import {
  FLOORBOARD_TOPIC_FILTER,
  FLOORBOARD_TOPIC_ROOT,
  floorboardCountPayloadSchema,
  floorboardCyclePayloadSchema,
  floorboardStatePayloadSchema,
  parseFloorboardTopic,
} from '@floorboard/shared';
import type { z } from 'zod';
import type { DecodeError, DecodeResult, Input } from '../input.js';
import { parseJsonPayload } from '../json-payload.js';

export const FLOORBOARD_JSON_INPUT = 'floorboard-json';

/** Station payloads are a few dozen bytes; anything this big is not one. */

export interface FloorboardJsonInputOptions {
  /** Listen only to these sites (`floorboard/v1/{site}/#`); empty or absent = all sites. */
  sites?: readonly string[];
}

/** Floorboard JSON on `floorboard/v1/{site}/{line}/{station}/{state|count|cycle}` (DESIGN.md §4.1). */
export function createFloorboardJsonInput(options: FloorboardJsonInputOptions = {}): Input {
  const sites = options.sites ?? [];
  return {
    name: FLOORBOARD_JSON_INPUT,
    topicFilters:
      sites.length > 0 ? sites.map((site) => `${FLOORBOARD_TOPIC_ROOT}/${site}/#`) : [FLOORBOARD_TOPIC_FILTER],
    decode: decodeFloorboardJson,
  };
}

export function decodeFloorboardJson(topic: string, payload: Buffer): DecodeResult {
  const parsedTopic = parseFloorboardTopic(topic);
  if (!parsedTopic.ok) return { error: { code: parsedTopic.code, message: parsedTopic.message } };
  const { line, station, channel } = parsedTopic.topic;

  const parsed = parseJsonPayload(payload);
  if ('error' in parsed) return parsed;
  const json = parsed.json;

  const base = { line, station, source: 'floorboard-json' as const };
  switch (channel) {
    case 'state': {
      const p = floorboardStatePayloadSchema.safeParse(json);
      if (!p.success) return { error: payloadError(p.error) };
      const event = { ...base, ts: p.data.ts, type: 'state' as const, state: p.data.state };
      return { events: [p.data.reason === undefined ? event : { ...event, reason: p.data.reason }] };
    }
    case 'count': {
      const p = floorboardCountPayloadSchema.safeParse(json);
      if (!p.success) return { error: payloadError(p.error) };
      return { events: [{ ...base, ts: p.data.ts, type: 'count', good: p.data.good, scrap: p.data.scrap }] };
    }
    case 'cycle': {
      const p = floorboardCyclePayloadSchema.safeParse(json);
      if (!p.success) return { error: payloadError(p.error) };
      return { events: [{ ...base, ts: p.data.ts, type: 'cycle', cycleMs: p.data.ms }] };
    }
  }
}

// The code says which field is wrong, because "timestamp in seconds" and "unknown state name" are
// the mistakes integrators make most and deserve their own counter series.
function payloadError(error: z.ZodError): DecodeError {
  const first = error.issues[0];
  const field = first?.path[0];
  const message = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  if (field === 'ts') return { code: 'TIMESTAMP_INVALID', message };
  if (field === 'state') return { code: 'STATE_UNKNOWN', message };
  return { code: 'PAYLOAD_INVALID', message };
}
