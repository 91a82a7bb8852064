import {
  FLOORBOARD_TOPIC_FILTER,
  FLOORBOARD_TOPIC_ROOT,
  floorboardCountPayloadSchema,
  floorboardCyclePayloadSchema,
  floorboardStatePayloadSchema,
  parseFloorboardTopic,
  type FloorboardTopic,
} from '@floorboard/shared';
import type { z } from 'zod';
import type { DecodeError, DecodeResult, Input } from '../input.js';
import { parseJsonPayload } from '../json-payload.js';
import { fastCountPayload, fastCyclePayload, fastStatePayload } from './fast-payload.js';

export const FLOORBOARD_JSON_INPUT = 'floorboard-json';

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

/** Parsed valid topics; a plant has a bounded set of them, so the cache is simply emptied when it gets big. */
const topicCache = new Map<string, FloorboardTopic>();
const TOPIC_CACHE_LIMIT = 10_000;

function parseTopicCached(topic: string): ReturnType<typeof parseFloorboardTopic> {
  const cached = topicCache.get(topic);
  if (cached) return { ok: true, topic: cached };
  const parsed = parseFloorboardTopic(topic);
  if (parsed.ok) {
    if (topicCache.size >= TOPIC_CACHE_LIMIT) topicCache.clear();
    topicCache.set(topic, parsed.topic);
  }
  return parsed;
}

export function decodeFloorboardJson(topic: string, payload: Buffer): DecodeResult {
  const parsedTopic = parseTopicCached(topic);
  if (!parsedTopic.ok) return { error: { code: parsedTopic.code, message: parsedTopic.message } };
  const { line, station, channel } = parsedTopic.topic;

  const parsed = parseJsonPayload(payload);
  if ('error' in parsed) return parsed;
  const json = parsed.json;

  const source = 'floorboard-json' as const;
  switch (channel) {
    case 'state': {
      const p = checkPayload(json, fastStatePayload, floorboardStatePayloadSchema);
      if ('error' in p) return p;
      const event = { line, station, source, ts: p.data.ts, type: 'state' as const, state: p.data.state };
      return { events: [p.data.reason === undefined ? event : { ...event, reason: p.data.reason }] };
    }
    case 'count': {
      const p = checkPayload(json, fastCountPayload, floorboardCountPayloadSchema);
      if ('error' in p) return p;
      return {
        events: [{ line, station, source, ts: p.data.ts, type: 'count', good: p.data.good, scrap: p.data.scrap }],
      };
    }
    case 'cycle': {
      const p = checkPayload(json, fastCyclePayload, floorboardCyclePayloadSchema);
      if ('error' in p) return p;
      return { events: [{ line, station, source, ts: p.data.ts, type: 'cycle', cycleMs: p.data.ms }] };
    }
  }
}

/** The fast check accepts the common shape; zod decides everything else (ISO times) and describes errors. */
function checkPayload<T>(
  json: unknown,
  fast: (json: unknown) => T | undefined,
  schema: { safeParse(json: unknown): z.ZodSafeParseResult<T> },
): { data: T } | { error: DecodeError } {
  const quick = fast(json);
  if (quick !== undefined) return { data: quick };
  const parsed = schema.safeParse(json);
  return parsed.success ? { data: parsed.data } : { error: payloadError(parsed.error) };
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
