import { describe, expect, it } from '@jest/globals';
import { DEMO_PLANT } from '@floorboard/shared';
import { decodeFloorboardJson } from '../inputs/native/floorboard-json-input.js';
import { createPlantSimulation } from './plant-simulation.js';
import { startPublishing, toFloorboardMessage } from './publisher.js';

const START = Date.UTC(2025, 0, 6, 6, 0);

describe('simulator publisher', () => {
  it('publishes messages the gateway’s Floorboard JSON input accepts, event for event', () => {
    const events = createPlantSimulation(DEMO_PLANT, { seed: 1, startTs: START }).advanceTo(3_600_000);
    for (const kind of ['state', 'count', 'cycle']) expect(events.some((e) => e.kind === kind)).toBe(true);
    for (const event of events) {
      const { topic, payload } = toFloorboardMessage(event);
      expect(topic).toBe(`floorboard/v1/${event.site}/${event.line}/${event.station}/${event.kind}`);
      const decoded = decodeFloorboardJson(topic, Buffer.from(payload));
      if (!('events' in decoded)) throw new Error(`${topic} ${payload}: ${JSON.stringify(decoded)}`);
      expect(decoded.events[0]).toMatchObject({
        line: event.line,
        station: event.station,
        ts: event.ts,
        type: event.kind,
      });
    }
  });

  it('maps wall time × speed onto simulated time and publishes with QoS 1', async () => {
    const simulation = createPlantSimulation(DEMO_PLANT, { seed: 1, startTs: START });
    const sent: { topic: string; qos: number }[] = [];
    const publishing = startPublishing({
      simulation,
      speed: 600,
      tickMs: 10,
      client: {
        publishAsync: async (topic, _payload, options) => {
          sent.push({ topic, qos: options.qos });
        },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publishing.stop();
    // 300 ms at 600× is about 3 simulated minutes: initial states plus a few dozen parts.
    expect(simulation.now).toBeGreaterThan(120_000);
    expect(simulation.now).toBeLessThan(600_000);
    expect(sent.length).toBe(publishing.published());
    expect(sent.filter((m) => m.topic.endsWith('/count')).length).toBeGreaterThan(10);
    expect(sent.every((m) => m.qos === 1)).toBe(true);
  });
});
