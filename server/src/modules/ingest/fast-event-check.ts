import {
  EVENT_SOURCES,
  MAX_EVENT_TS,
  MAX_INGEST_BATCH,
  MIN_EVENT_TS,
  STATION_STATES,
  type StationEvent,
} from '@floorboard/shared';

/**
 * Hot-path checks for well-formed ingest input, so the zod contracts only run where they are needed: to decide
 * anything unusual and to describe what is wrong. Each function returns its input (typed) only when the shared
 * zod schema would accept it with an equal result, and `undefined` otherwise ("ask zod"); it never rejects on its
 * own. `fast-event-check.spec.ts` holds both side by side on valid, invalid and randomly mutated input.
 */

const STATES = new Set<string>(STATION_STATES);
const SOURCES = new Set<string>(EVENT_SOURCES);
const TYPES = new Set(['state', 'count', 'cycle']);
/** `keySchema` in shared: lowercase slug, 1..64 characters. */
const KEY = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_COUNT = 1_000_000;
const MAX_CYCLE_MS = 86_400_000;
const EVENT_FIELDS = new Set([
  'gatewayId',
  'seq',
  'line',
  'station',
  'ts',
  'type',
  'state',
  'reason',
  'good',
  'scrap',
  'cycleMs',
  'historical',
  'source',
]);

type Json = Record<string, unknown>;

/** A plain JSON object (what JSON.parse makes), without a `__proto__` key of its own. */
const isPlainObject = (value: unknown): value is Json =>
  typeof value === 'object' &&
  value !== null &&
  Object.getPrototypeOf(value) === Object.prototype &&
  !Object.prototype.hasOwnProperty.call(value, '__proto__');

const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;

// zod counts string length in code points; a UTF-16 length within the bounds is within them in code points too.
const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

const isKey = (value: unknown): value is string => typeof value === 'string' && value.length <= 64 && KEY.test(value);

/** The ingest envelope's events when `ingestBatchSchema` accepts the body as is. */
export function fastEnvelope(body: unknown): { gatewayId: string; events: Json[] } | undefined {
  if (!isPlainObject(body)) return undefined;
  let fields = 0;
  for (const key in body) {
    if (key !== 'gatewayId' && key !== 'events') return undefined;
    fields += 1;
  }
  const { gatewayId, events } = body;
  if (fields !== 2 || !isText(gatewayId, 128) || !Array.isArray(events) || events.length > MAX_INGEST_BATCH) {
    return undefined;
  }
  for (const event of events) if (!isPlainObject(event)) return undefined;
  return { gatewayId, events: events as Json[] };
}

/** The event itself when `stationEventSchema` accepts it. */
export function fastStationEvent(raw: Json): StationEvent | undefined {
  for (const key in raw) if (!EVENT_FIELDS.has(key)) return undefined;
  const { type, state, reason, good, scrap, cycleMs, historical } = raw;
  if (
    !isText(raw.gatewayId, 128) ||
    !isInt(raw.seq, 0, Number.MAX_SAFE_INTEGER) ||
    !isKey(raw.line) ||
    !isKey(raw.station) ||
    !isInt(raw.ts, MIN_EVENT_TS, MAX_EVENT_TS) ||
    typeof type !== 'string' ||
    !TYPES.has(type) ||
    typeof raw.source !== 'string' ||
    !SOURCES.has(raw.source)
  ) {
    return undefined;
  }
  if (state !== undefined && (typeof state !== 'string' || !STATES.has(state))) return undefined;
  if (reason !== undefined && !isText(reason, 200)) return undefined;
  if (good !== undefined && !isInt(good, 0, MAX_COUNT)) return undefined;
  if (scrap !== undefined && !isInt(scrap, 0, MAX_COUNT)) return undefined;
  if (cycleMs !== undefined && !isInt(cycleMs, 1, MAX_CYCLE_MS)) return undefined;
  if (historical !== undefined && typeof historical !== 'boolean') return undefined;
  // The schema's cross-field rules.
  if (type === 'state' && state === undefined) return undefined;
  if (type === 'count' && good === undefined && scrap === undefined) return undefined;
  if (type === 'cycle' && cycleMs === undefined) return undefined;
  return raw as StationEvent;
}
