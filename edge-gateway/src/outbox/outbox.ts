import type { StationEvent } from '@floorboard/shared';
import type { SeqRange } from './acked-seqs.js';

/** A stored event: its seq and its canonical JSON, `JSON.stringify` of the {@link StationEvent}. */
export interface OutboxEvent {
  seq: number;
  json: string;
}

/** One request's worth of events, with what acknowledging it marks as done. */
export interface OutboxBatch {
  /** Backlog events (oldest first), then live-lane events (oldest first); seq ascending. */
  events: readonly OutboxEvent[];
  /** Every pending event up to this seq is in the batch (null: no backlog events in it). */
  backlogUpTo: number | null;
  /** Every pending event in this range is in the batch (null: no live-lane events in it). */
  live: SeqRange | null;
}

/**
 * Store-and-forward queue between the inputs and the server. Events leave it only when the server
 * has acknowledged them (after its DB commit), so a server or network outage loses nothing.
 * Events are appended in strictly increasing `seq` order. They are sent oldest first, except while a
 * backlog drains: then the newest events have a lane of their own (see {@link Outbox.nextBatch}).
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
  /**
   * The next batch to send, up to `max` events, without removing them: the oldest events; while a backlog
   * waits, a share of the batch goes to the newest events (the live lane) so they are not held behind it.
   * With `after` (a batch still in flight), the batch to send next to it: it goes on where `after` ends, as if
   * `after` were acknowledged already. It may repeat some of `after`'s events, never skip one; it must be
   * acknowledged only after `after` (and is discarded if `after` fails).
   */
  nextBatch(max: number, after?: OutboxBatch): Promise<OutboxBatch>;
  /**
   * Removes a batch from {@link Outbox.nextBatch} once the server has committed it; durable when resolved.
   * Batches are acknowledged in the order they were composed.
   */
  ackBatch(batch: OutboxBatch): Promise<void>;
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
