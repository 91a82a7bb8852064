import type { StationEvent } from '@floorboard/shared';

/**
 * Store-and-forward queue between the inputs and the server. Events leave it only when the server
 * has acknowledged them (after its DB commit), so a server or network outage loses nothing.
 * Events are appended in strictly increasing `seq` order, which is also the order they are sent in.
 */
export interface Outbox {
  /**
   * Stores events; when the promise resolves they survive a crash. `key` identifies the MQTT
   * delivery they came from (packet id + content hash): it is kept with the events, so a
   * redelivery of the same message can be recognised with {@link Outbox.whenStored}.
   */
  append(events: readonly StationEvent[], key?: string): Promise<void>;
  /**
   * For a key seen among the recent appends (in memory or on disk): a promise that resolves once
   * that append is durable. Undefined for an unknown key.
   */
  whenStored(key: string): Promise<void> | undefined;
  /** The oldest unacknowledged events, up to `max`, without removing them. */
  peek(max: number): Promise<StationEvent[]>;
  /** Removes every event with `seq <= upToSeq`; durable when the promise resolves. */
  ack(upToSeq: number): Promise<void>;
  /** Events dropped by the size and age bounds, in total since the outbox was created. */
  dropped(): number;
  /** Number of unacknowledged events. */
  depth(): number;
  /** How long the oldest unacknowledged event has waited, or null when empty. */
  oldestAgeMs(now?: number): number | null;
  /** Calls `listener` after each append; returns a function that removes it. */
  onAppend(listener: () => void): () => void;
  close(): Promise<void>;
}
