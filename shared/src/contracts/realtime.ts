import { z } from 'zod';
import type { Alert } from './andon.js';
import type { LineLive, LineLiveMetrics } from './live.js';
import { keySchema } from './station-event.js';
import type { StationState } from './station-state.js';

export const LIVE_NAMESPACE = '/live';

/** Every server-to-client payload carries the line, a timestamp and the line's monotonic `rev` (DESIGN.md §4.5). */
export interface LineEnvelope {
  line: string;
  ts: number;
  rev: number;
}

export type LineSnapshotPayload = LineEnvelope & { snapshot: LineLive };

export type StationStateChangedPayload = LineEnvelope & {
  station: string;
  state: StationState;
  previous: StationState;
  since: number;
  reason: string | null;
};

export type StationCountsUpdatedPayload = LineEnvelope & { station: string; good: number; scrap: number };

/** `line:metrics-updated`: the line's live metrics (throughput, OEE, bottleneck) as they stand at `ts`. */
export type LineMetricsUpdatedPayload = LineEnvelope & { metrics: LineLiveMetrics };

/** `alert:raised`, `alert:cleared`, `alert:acknowledged`: the alert as `GET /api/v1/alerts` shows it. */
export type AlertEventPayload = LineEnvelope & { alert: Alert };

/** `subscribe` / `unsubscribe` body, validated on the server like any other input. */
export const subscribeRequestSchema = z.object({ lines: z.array(keySchema).min(1).max(500) }).strict();
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

export type SubscribeAck = { ok: true; lines: string[] } | { ok: false; code: string; message: string };

export interface ServerToClientEvents {
  'line:snapshot': (payload: LineSnapshotPayload) => void;
  'station:state-changed': (payload: StationStateChangedPayload) => void;
  'station:counts-updated': (payload: StationCountsUpdatedPayload) => void;
  'line:metrics-updated': (payload: LineMetricsUpdatedPayload) => void;
  'alert:raised': (payload: AlertEventPayload) => void;
  'alert:cleared': (payload: AlertEventPayload) => void;
  'alert:acknowledged': (payload: AlertEventPayload) => void;
  error: (payload: { code: string; message: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack?: (response: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack?: (response: SubscribeAck) => void) => void;
}
