import type { StationEvent } from '@floorboard/shared';
import type { DecodedEvent } from '../inputs/input.js';
import type { Outbox } from '../outbox/outbox.js';
import type { SeqAllocator } from './seq-allocator.js';

/** Stamps decoded events with the gateway id and sequence numbers and stores them in the outbox. */
export interface Pipeline {
  /**
   * Resolves once the events are durable in the outbox (the MQTT PUBACK waits for this).
   * `key` identifies the MQTT delivery (packet id + content hash) and is stored with the events; the
   * caller asks {@link Pipeline.storedAlready} first, so a broker redelivery is never submitted.
   */
  submit(events: readonly DecodedEvent[], key?: string): Promise<void>;
  /** For the key of a message stored (or being stored) already: resolves when it is durable. */
  storedAlready(key: string): Promise<void> | undefined;
  /** Resolves when every submitted event has been stored (or has failed to be). */
  drain(): Promise<void>;
}

export function createPipeline(deps: { gatewayId: string; seq: SeqAllocator; outbox: Outbox }): Pipeline {
  const { gatewayId, seq, outbox } = deps;
  // Numbers are allocated and appends queued strictly in submission order, so the outbox sees seq
  // ascending; the durable write itself is left to the outbox's group commit. Usually the numbers come
  // from the block reserved already and the append is queued at once; a submission that must wait for a
  // reservation on disk holds back the ones after it (`waiting`).
  let ordered: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const settle = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const waiters = drained;
    drained = [];
    waiters.forEach((w) => w());
  };
  // Appends of one outbox group share a promise: it is counted (and reacted to) once.
  let lastTracked: Promise<void> | null = null;
  const track = (done: Promise<void>): Promise<void> => {
    if (done === lastTracked) return done;
    lastTracked = done;
    inFlight += 1;
    done.then(settle, settle);
    return done;
  };
  const stamp = (events: readonly DecodedEvent[], first: number): StationEvent[] =>
    events.map((e, i) => stamped(e, gatewayId, first + i));

  return {
    storedAlready: (key) => outbox.whenStored(key),
    submit(events, key) {
      if (events.length === 0) return Promise.resolve();
      const first = waiting === 0 ? seq.tryAllocate(events.length) : undefined;
      if (first !== undefined) return track(outbox.append(stamp(events, first), key));
      waiting += 1;
      const stored = ordered.then(async () => {
        try {
          const start = await seq.allocate(events.length);
          return { append: outbox.append(stamp(events, start), key) };
        } finally {
          waiting -= 1;
        }
      });
      ordered = stored.catch(() => undefined);
      return track(stored.then(({ append }) => append));
    },
    drain() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));
    },
  };
}

/**
 * The canonical event: field by field rather than `{ ...e, gatewayId, seq }`, which V8 builds slowly and
 * which was one of the costliest lines per message (profiled).
 */
function stamped(e: DecodedEvent, gatewayId: string, seq: number): StationEvent {
  const out: StationEvent = {
    gatewayId,
    seq,
    line: e.line,
    station: e.station,
    ts: e.ts,
    type: e.type,
    source: e.source,
  };
  if (e.state !== undefined) out.state = e.state;
  if (e.reason !== undefined) out.reason = e.reason;
  if (e.good !== undefined) out.good = e.good;
  if (e.scrap !== undefined) out.scrap = e.scrap;
  if (e.cycleMs !== undefined) out.cycleMs = e.cycleMs;
  if (e.historical !== undefined) out.historical = e.historical;
  return out;
}
