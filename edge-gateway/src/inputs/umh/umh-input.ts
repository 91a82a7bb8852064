import { MAX_EVENT_TS, MIN_EVENT_TS, mapStateCode, type StateCodeTable, type StationState } from '@floorboard/shared';
import { z } from 'zod';
import { createCumulativeCounters, type CounterMode } from '../counters.js';
import type { DecodedEvent, DecodeResult, Input } from '../input.js';
import { parseJsonPayload } from '../json-payload.js';
import { toKey, type StationOverride } from '../station-keys.js';

export const UMH_INPUT = 'umh';
export const UMH_TOPIC_ROOT = 'ia';

/** UMH v0 messages Floorboard has no use for (yet); counted as ignored, not as errors. */
const IGNORED_MESSAGES = new Set([
  'activity',
  'detectedAnomaly',
  'addShift',
  'deleteShift',
  'addOrder',
  'startOrder',
  'endOrder',
  'addProduct',
  'addMaterialBatch',
  'addParentToChild',
  'uniqueProduct',
  'scrapUniqueProduct',
  'productTag',
  'productTagString',
  'recommendation',
  'modifyState',
  'modifyProducedPieces',
]);

export interface UmhInputOptions {
  topicFilters?: readonly string[];
  /** Keyed `<location>/<asset>` or `<location>` (whole location → line), raw UMH ids. */
  overrides?: Readonly<Record<string, StationOverride>>;
  stateTable?: StateCodeTable;
  customStates?: Readonly<Record<string, StationState>>;
  counters?: CounterMode;
}

const timestampMs = z
  .number()
  .int()
  .min(MIN_EVENT_TS, 'must be epoch milliseconds')
  .max(MAX_EVENT_TS, 'must be epoch milliseconds');
const statePayload = z.object({ timestamp_ms: timestampMs, state: z.union([z.number(), z.string()]) });
const countPayload = z.object({
  timestamp_ms: timestampMs,
  count: z.number().int().nonnegative(),
  scrap: z.number().int().nonnegative().optional(),
});
const scrapPayload = z.object({ timestamp_ms: timestampMs, scrap: z.number().int().positive() });

/**
 * United Manufacturing Hub v0: `ia/<customer>/<location>/<asset>/<message>` (STANDARDS.md §2).
 * location → line, asset → station unless overridden; `state` codes through the UMH table unless
 * configured otherwise; `count` is produced items with `scrap` of them scrap. `scrapCount` marks
 * `scrap` earlier items as scrap: it becomes a scrap count (our counts cannot go negative, so the
 * good count of the earlier message is not reduced). Other UMH messages are ignored and counted.
 */
export function createUmhInput(options: UmhInputOptions = {}): Input {
  const overrides = options.overrides ?? {};
  const table = options.stateTable ?? 'umh';
  const counters = options.counters ?? 'increments';
  const totals = createCumulativeCounters();

  const decode = (topic: string, payload: Buffer): DecodeResult => {
    const parts = topic.split('/');
    if (parts.length !== 5 || parts[0] !== UMH_TOPIC_ROOT) {
      return { error: { code: 'TOPIC_UNKNOWN', message: 'not an ia/<customer>/<location>/<asset>/<message> topic' } };
    }
    const [, , location, asset, message] = parts as [string, string, string, string, string];
    if (IGNORED_MESSAGES.has(message) || message.startsWith('processValue')) return { ignored: message };
    if (message !== 'state' && message !== 'count' && message !== 'scrapCount') {
      return { error: { code: 'TOPIC_CHANNEL_UNKNOWN', message: `unknown UMH message "${message}"` } };
    }
    const override = overrides[`${location}/${asset}`] ?? overrides[location] ?? {};
    const line = override.line ?? toKey(location);
    const station = overrides[`${location}/${asset}`]?.station ?? toKey(asset);
    if (!line || !station) {
      return {
        error: { code: 'TOPIC_KEY_INVALID', message: `"${location}/${asset}" gives no valid line/station key` },
      };
    }
    const parsed = parseJsonPayload(payload);
    if ('error' in parsed) return parsed;
    const json = parsed.json;
    const base = { line, station, source: 'umh' as const };
    const invalid = (error: z.ZodError): DecodeResult => {
      const field = error.issues[0]?.path[0];
      const text = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return { error: { code: field === 'timestamp_ms' ? 'TIMESTAMP_INVALID' : 'PAYLOAD_INVALID', message: text } };
    };

    if (message === 'state') {
      const p = statePayload.safeParse(json);
      if (!p.success) return invalid(p.error);
      const state = mapStateCode(p.data.state, table, { custom: options.customStates });
      if (!state)
        return {
          error: {
            code: 'STATE_UNKNOWN',
            message: `state ${JSON.stringify(p.data.state)} is not in the ${table} table`,
          },
        };
      return { events: [{ ...base, ts: p.data.timestamp_ms, type: 'state', state }] };
    }
    if (message === 'count') {
      const p = countPayload.safeParse(json);
      if (!p.success) return invalid(p.error);
      const scrapIn = p.data.scrap ?? 0;
      if (scrapIn > p.data.count) {
        return { error: { code: 'PAYLOAD_INVALID', message: 'scrap is more than count' } };
      }
      let produced = p.data.count;
      let scrap = scrapIn;
      if (counters === 'cumulative') {
        const dProduced = totals.next(`${line}/${station}/count`, produced);
        const dScrap = totals.next(`${line}/${station}/scrap`, scrap);
        if (dProduced === null) return { events: [] };
        produced = dProduced;
        scrap = Math.min(dScrap ?? 0, produced);
      }
      if (produced === 0) return { events: [] };
      const event: DecodedEvent = { ...base, ts: p.data.timestamp_ms, type: 'count', good: produced - scrap, scrap };
      return { events: [event] };
    }
    const p = scrapPayload.safeParse(json);
    if (!p.success) return invalid(p.error);
    return { events: [{ ...base, ts: p.data.timestamp_ms, type: 'count', good: 0, scrap: p.data.scrap }] };
  };

  return { name: UMH_INPUT, topicFilters: options.topicFilters ?? [`${UMH_TOPIC_ROOT}/#`], decode };
}
