import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../logging/logger.js';
import { createRateLimitedWarn } from '../logging/rate-limited.js';
import { createGatewayMetrics } from '../metrics.js';
import type { Input } from './input.js';
import { createDispatcher } from './dispatcher.js';
import { createFloorboardJsonInput } from './native/floorboard-json-input.js';

const T = Date.UTC(2025, 0, 6);

function setup(inputs: Input[]) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const metrics = createGatewayMetrics();
  const dispatcher = createDispatcher(inputs, { metrics, warn: createRateLimitedWarn(logger, 60_000) });
  const value = async (name: string, labels: Record<string, string>) => {
    const { values } = await (
      metrics.registry.getSingleMetric(name) as NonNullable<ReturnType<typeof metrics.registry.getSingleMetric>>
    ).get();
    return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
  };
  return { dispatcher, lines, value };
}

describe('dispatcher', () => {
  it('routes by topic filter, counts good and bad messages and rate-limits the warnings', async () => {
    const { dispatcher, lines, value } = setup([createFloorboardJsonInput()]);
    const good = Buffer.from(JSON.stringify({ ts: T, state: 'idle' }));
    expect(dispatcher.dispatch('floorboard/v1/p/l/s/state', good)).toHaveLength(1);
    for (let i = 0; i < 50; i++) expect(dispatcher.dispatch('floorboard/v1/p/l/s/state', Buffer.from('x'))).toEqual([]);
    expect(dispatcher.dispatch('other/topic', good)).toEqual([]);

    expect(await value('floorboard_gateway_messages_total', { input: 'floorboard-json' })).toBe(1);
    expect(
      await value('floorboard_gateway_decode_errors_total', { input: 'floorboard-json', code: 'PAYLOAD_NOT_JSON' }),
    ).toBe(50);
    expect(await value('floorboard_gateway_decode_errors_total', { input: 'none', code: 'TOPIC_UNROUTED' })).toBe(1);
    expect(lines.filter((l) => l.code === 'PAYLOAD_NOT_JSON')).toHaveLength(1);
    expect(lines.every((l) => l.level === 'warn')).toBe(true);
  });

  it('contains a decoder that throws', async () => {
    const broken: Input = {
      name: 'broken',
      topicFilters: ['x/#'],
      decode: () => {
        throw new Error('bug');
      },
    };
    const { dispatcher, value } = setup([broken]);
    expect(dispatcher.dispatch('x/y', Buffer.from('{}'))).toEqual([]);
    expect(await value('floorboard_gateway_decode_errors_total', { input: 'broken', code: 'DECODER_FAILED' })).toBe(1);
  });

  it('subscribes to the union of the inputs’ filters', () => {
    const { dispatcher } = setup([
      createFloorboardJsonInput({ sites: ['a'] }),
      createFloorboardJsonInput({ sites: ['a', 'b'] }),
    ]);
    expect(dispatcher.topicFilters).toEqual(['floorboard/v1/a/#', 'floorboard/v1/b/#']);
  });
});
