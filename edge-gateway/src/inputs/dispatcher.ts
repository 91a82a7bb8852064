import { describeError } from '../logging/logger.js';
import type { RateLimitedWarn } from '../logging/rate-limited.js';
import type { GatewayMetrics } from '../metrics.js';
import type { DecodedEvent, DecodeResult, Input } from './input.js';
import { topicMatches } from './topic-filter.js';

/** Routes each MQTT message to the input whose topic filter matches, and counts the outcome. */
export interface Dispatcher {
  /** Every topic filter of every input, for the MQTT subscription. */
  readonly topicFilters: readonly string[];
  /** Decodes one message; bad input is counted and logged here and yields no events. Never throws. */
  dispatch(topic: string, payload: Buffer): DecodedEvent[];
}

/** Distinct topics remembered; a plant has a bounded set, so the map is simply emptied when it gets big. */
const ROUTE_CACHE_LIMIT = 10_000;

export function createDispatcher(
  inputs: readonly Input[],
  deps: { metrics: Pick<GatewayMetrics, 'messages' | 'decodeErrors' | 'ignored'>; warn: RateLimitedWarn },
): Dispatcher {
  const { metrics, warn } = deps;
  const topicFilters = [...new Set(inputs.flatMap((i) => i.topicFilters))];
  // Topic → input, so the filters are matched once per topic rather than once per message.
  const routes = new Map<string, Input | null>();
  const route = (topic: string): Input | null => {
    let input = routes.get(topic);
    if (input === undefined) {
      input = inputs.find((i) => i.topicFilters.some((f) => topicMatches(f, topic))) ?? null;
      if (routes.size >= ROUTE_CACHE_LIMIT) routes.clear();
      routes.set(topic, input);
    }
    return input;
  };
  // Label children resolved once per input: `inc({input})` would hash the labels on every message.
  const decoded = new Map(inputs.map((i) => [i.name, metrics.messages.labels({ input: i.name })]));

  const fail = (input: string, topic: string, code: string, message: string): DecodedEvent[] => {
    metrics.decodeErrors.inc({ input, code });
    warn.warn(`${input}:${code}`, 'rejected station message', { input, code, topic, error: message });
    return [];
  };

  return {
    topicFilters,
    dispatch(topic, payload) {
      const input = route(topic);
      if (!input) return fail('none', topic, 'TOPIC_UNROUTED', 'no input handles this topic');
      let result: DecodeResult;
      try {
        result = input.decode(topic, payload);
      } catch (error) {
        // A decoder bug must not take the gateway down with it.
        return fail(input.name, topic, 'DECODER_FAILED', describeError(error));
      }
      if ('error' in result) return fail(input.name, topic, result.error.code, result.error.message);
      if ('ignored' in result) {
        metrics.ignored.inc({ input: input.name, reason: result.ignored });
        return [];
      }
      decoded.get(input.name)?.inc();
      return result.events;
    },
  };
}
