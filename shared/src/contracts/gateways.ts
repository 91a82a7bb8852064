import { z } from 'zod';

/** What a gateway reports every ~10 s (`POST /api/v1/gateways/heartbeat`, ingest token). */
export const gatewayHeartbeatSchema = z
  .object({
    gatewayId: z.string().min(1).max(128),
    version: z.string().min(1).max(64),
    /** Enabled inputs with their topic filters and how many messages each decoded since start. */
    inputs: z
      .array(
        z
          .object({
            name: z.string().min(1).max(64),
            topicFilters: z.array(z.string().min(1).max(512)).max(64),
            messages: z.number().int().nonnegative(),
            decodeErrors: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .max(16),
    outboxDepth: z.number().int().nonnegative(),
    oldestAgeSeconds: z.number().nonnegative().nullable(),
    /** Events dropped by the outbox bounds since the gateway's data dir was created. */
    dropped: z.number().int().nonnegative(),
    /** Epoch ms of the last batch the server acknowledged, null before the first. */
    lastAckAt: z.number().int().nonnegative().nullable(),
    reconnects: z.number().int().nonnegative(),
    rebirths: z.number().int().nonnegative(),
    mqttConnected: z.boolean(),
  })
  .strict();

export type GatewayHeartbeat = z.infer<typeof gatewayHeartbeatSchema>;

/** A gateway is online when its last heartbeat is at most this old. */
export const GATEWAY_ONLINE_WINDOW_MS = 30_000;

/** One row of `GET /api/v1/gateways`. */
export interface GatewayStatus {
  gatewayId: string;
  version: string;
  status: 'online' | 'offline';
  lastSeenAt: string;
  /** Seconds since the last heartbeat. */
  lastSeenAgoSeconds: number;
  outboxDepth: number;
  oldestAgeSeconds: number | null;
  dropped: number;
  lastAckAt: string | null;
  /** Seconds between the last heartbeat's time and its last server ack (how far behind it is). */
  lagSeconds: number | null;
  reconnects: number;
  rebirths: number;
  mqttConnected: boolean;
  inputs: GatewayHeartbeat['inputs'];
}
