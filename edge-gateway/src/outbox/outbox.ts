import type { StationEvent } from '@floorboard/shared';

/**
 * Store-and-forward queue between the inputs and the server. Events leave it only when the server
 * has acknowledged them (after its DB commit), so a server or network outage loses nothing.
 * Events are appended in strictly increasing `seq` order, which is also the order they are sent in.
 */
export interface Outbox {
  /** Stores events; when the promise resolves they survive a crash. */
  append(events: readonly StationEvent[]): Promise<void>;
  /** The oldest unacknowledged events, up to `max`, without removing them. */
  peek(max: number): Promise<StationEvent[]>;
  /** Removes every event with `seq <= upToSeq`; durable when the promise resolves. */
  ack(upToSeq: number): Promise<void>;
  /** Number of unacknowledged events. */
  depth(): number;
  /** How long the oldest unacknowledged event has waited, or null when empty. */
  oldestAgeMs(now?: number): number | null;
  /** Calls `listener` after each append; returns a function that removes it. */
  onAppend(listener: () => void): () => void;
  close(): Promise<void>;
}
