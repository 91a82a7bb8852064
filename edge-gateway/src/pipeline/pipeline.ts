import type { StationEvent } from '@floorboard/shared';
import type { DecodedEvent } from '../inputs/input.js';
import type { Outbox } from '../outbox/outbox.js';
import type { SeqAllocator } from './seq-allocator.js';

/** Stamps decoded events with the gateway id and sequence numbers and stores them in the outbox. */
export interface Pipeline {
  /**
   * Resolves once the events are durable in the outbox (the MQTT PUBACK waits for this).
   * `key` identifies the MQTT delivery (packet id + content hash); a delivery whose key the outbox
   * already holds is a broker redelivery of a stored message: it is not stored again, and the
   * promise resolves when the first copy is durable.
   */
  submit(events: readonly DecodedEvent[], key?: string): Promise<void>;
  /** For the key of a message stored (or being stored) already: resolves when it is durable. */
  storedAlready(key: string): Promise<void> | undefined;
  /** Resolves when every submitted event has been stored (or has failed to be). */
  drain(): Promise<void>;
}

export function createPipeline(deps: { gatewayId: string; seq: SeqAllocator; outbox: Outbox }): Pipeline {
  const { gatewayId, seq, outbox } = deps;
  // Numbers are allocated and appends queued strictly in submission order, so the outbox sees
  // seq ascending; the durable write itself is left to the outbox's group commit.
  let ordered: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<void>>();

  return {
    storedAlready: (key) => outbox.whenStored(key),
    submit(events, key) {
      if (events.length === 0) return Promise.resolve();
      const earlier = key === undefined ? undefined : outbox.whenStored(key);
      if (earlier) return earlier;
      const stored = ordered.then(async () => {
        const first = await seq.allocate(events.length);
        const stamped: StationEvent[] = events.map((e, i) => ({ ...e, gatewayId, seq: first + i }));
        return { append: outbox.append(stamped, key) };
      });
      ordered = stored.catch(() => undefined);
      const done = stored.then(({ append }) => append);
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done)).catch(() => undefined);
      return done;
    },
    async drain() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
