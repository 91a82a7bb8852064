import type { StationEvent } from '@floorboard/shared';

/** A decoded event before the pipeline stamps it with the gateway's id and sequence number. */
export type DecodedEvent = Omit<StationEvent, 'gatewayId' | 'seq'>;

export interface DecodeError {
  /** Stable, low-cardinality code; it becomes the `code` label of the decode error counter. */
  code: string;
  message: string;
}

/** `ignored`: a well-formed message this gateway has no use for (e.g. UMH `addOrder`), counted apart. */
export type DecodeResult = { events: DecodedEvent[] } | { error: DecodeError } | { ignored: string };

/** What a stateful input (the Sparkplug host) needs from the MQTT session. */
export interface SessionHooks {
  /** The Will to register on every connect. */
  will?(): { topic: string; payload: Buffer; qos: 0 | 1; retain: boolean } | undefined;
  /** After every confirmed subscription (births, STATE online). */
  onSubscribed?(): void;
  /** On a clean shutdown, before the DISCONNECT (STATE offline). */
  beforeDisconnect?(): Promise<void>;
  /** Releases timers. */
  close?(): void;
}

/**
 * One station-side protocol (Floorboard JSON now; Sparkplug B and UMH later). An input is pure
 * decoding: it names the MQTT topic filters it needs and turns one message into canonical events.
 * Connection handling, metrics and sequencing live outside, so every input gets them the same way.
 * `decode` must never throw; bad input is returned as an error.
 */
export interface Input {
  /** Label value for metrics and logs, e.g. `floorboard-json`. */
  readonly name: string;
  readonly topicFilters: readonly string[];
  decode(topic: string, payload: Buffer): DecodeResult;
  readonly session?: SessionHooks;
}
