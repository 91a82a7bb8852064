import { MAX_EVENT_TS, MIN_EVENT_TS, STATION_STATES, type StationState } from '@floorboard/shared';

/**
 * Hot-path checks for the common shape of Floorboard JSON payloads (epoch-ms `ts`, plain numbers), so the
 * zod schemas only run for what they are needed for: ISO timestamps and describing bad input. Each function
 * returns the parsed payload only when the shared zod schema would accept it with exactly that result, and
 * `undefined` for anything else ("ask zod"); it never rejects on its own. `fast-payload.test.ts` holds the
 * two side by side on valid, invalid and randomly mutated payloads.
 */

const STATES = new Set<string>(STATION_STATES);
const MAX_COUNT = 1_000_000;
const MAX_CYCLE_MS = 86_400_000;
const MAX_REASON = 200;

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Epoch milliseconds inside the accepted range (ISO strings are left to zod). */
const isEpochMs = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= MIN_EVENT_TS && value < MAX_EVENT_TS;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT;

// zod measures string length in code points; a UTF-16 length within the bounds is within them in code points too.
const isReason = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= MAX_REASON;

export function fastStatePayload(json: unknown): { ts: number; state: StationState; reason?: string } | undefined {
  if (!isRecord(json)) return undefined;
  const { ts, state, reason } = json;
  if (!isEpochMs(ts) || typeof state !== 'string' || !STATES.has(state)) return undefined;
  if (reason === undefined) return { ts, state: state as StationState };
  return isReason(reason) ? { ts, state: state as StationState, reason } : undefined;
}

export function fastCountPayload(json: unknown): { ts: number; good: number; scrap: number } | undefined {
  if (!isRecord(json)) return undefined;
  const { ts } = json;
  const good = json.good === undefined ? 0 : json.good;
  const scrap = json.scrap === undefined ? 0 : json.scrap;
  if (!isEpochMs(ts) || !isCount(good) || !isCount(scrap) || good + scrap <= 0) return undefined;
  return { ts, good, scrap };
}

export function fastCyclePayload(json: unknown): { ts: number; ms: number } | undefined {
  if (!isRecord(json)) return undefined;
  const { ts, ms } = json;
  if (!isEpochMs(ts) || typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_CYCLE_MS) {
    return undefined;
  }
  return { ts, ms };
}
