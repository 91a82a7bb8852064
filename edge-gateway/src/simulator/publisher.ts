import { floorboardTopic } from '@floorboard/shared';
import type { PlantSimulation, SimEvent } from './plant-simulation.js';

/** What the publisher needs from an MQTT client (mqtt.js's `publishAsync` fits). */
export interface MessagePublisher {
  publishAsync(topic: string, payload: string, options: { qos: 1 }): Promise<unknown>;
}

/** The Floorboard JSON message a real station would send for this event (DESIGN.md §4.1). */
export function toFloorboardMessage(event: SimEvent): { topic: string; payload: string } {
  const { site, line, station } = event;
  switch (event.kind) {
    case 'state':
      return {
        topic: floorboardTopic({ site, line, station, channel: 'state' }),
        payload: JSON.stringify({
          ts: event.ts,
          state: event.state,
          ...(event.reason ? { reason: event.reason } : {}),
        }),
      };
    case 'count':
      return {
        topic: floorboardTopic({ site, line, station, channel: 'count' }),
        payload: JSON.stringify({ ts: event.ts, good: event.good, scrap: event.scrap }),
      };
    case 'cycle':
      return {
        topic: floorboardTopic({ site, line, station, channel: 'cycle' }),
        payload: JSON.stringify({ ts: event.ts, ms: event.ms }),
      };
  }
}

export interface RunningPublisher {
  /** Events published so far. */
  published(): number;
  stop(): Promise<void>;
}

/**
 * Maps wall-clock time onto simulated time (× `speed`) and publishes what the simulation produces,
 * one tick at a time. A tick's messages are awaited before the next tick, so a slow broker slows the
 * simulation's output down rather than piling up unbounded messages in memory.
 */
export function startPublishing(args: {
  simulation: PlantSimulation;
  client: MessagePublisher;
  speed: number;
  tickMs?: number;
  onError?: (error: unknown) => void;
}): RunningPublisher {
  const { simulation, client, speed } = args;
  const tickMs = args.tickMs ?? 100;
  const wallStart = performance.now();
  let count = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    const events = simulation.advanceTo(Math.floor((performance.now() - wallStart) * speed));
    // All sent at once (mqtt.js keeps their order on the connection), then awaited together.
    await Promise.all(
      events.map((event) => {
        const { topic, payload } = toFloorboardMessage(event);
        return client.publishAsync(topic, payload, { qos: 1 }).catch((error: unknown) => args.onError?.(error));
      }),
    );
    count += events.length;
  };

  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, tickMs);
  };
  running = tick().finally(schedule);

  return {
    published: () => count,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
