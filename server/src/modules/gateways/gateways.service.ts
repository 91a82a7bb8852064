import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  GATEWAY_ONLINE_WINDOW_MS,
  gatewayHeartbeatSchema,
  describeIssues,
  type GatewayStatus,
} from '@floorboard/shared';
import { badRequest } from '../../common/error-codes.js';

interface GatewayRow {
  gateway_id: string;
  version: string;
  last_seen_at: Date;
  outbox_depth: string;
  oldest_age_seconds: number | null;
  dropped: string;
  last_ack_at: Date | null;
  reconnects: string;
  rebirths: string;
  mqtt_connected: boolean;
  inputs: GatewayStatus['inputs'];
}

/** Heartbeats of the edge gateways, and their status for the admin (online within 30 s, lag). */
@Injectable()
export class GatewaysService {
  constructor(private readonly dataSource: DataSource) {}

  async recordHeartbeat(body: unknown, now = new Date()): Promise<{ ok: true }> {
    const parsed = gatewayHeartbeatSchema.safeParse(body);
    if (!parsed.success) {
      throw badRequest('GATEWAY_HEARTBEAT_INVALID', 'heartbeat body is invalid', describeIssues(parsed.error.issues));
    }
    const h = parsed.data;
    await this.dataSource.query(
      `INSERT INTO gateways (gateway_id, version, last_seen_at, outbox_depth, oldest_age_seconds, dropped, last_ack_at,
                             reconnects, rebirths, mqtt_connected, inputs)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
       ON CONFLICT (gateway_id) DO UPDATE SET
         version = EXCLUDED.version, last_seen_at = EXCLUDED.last_seen_at, outbox_depth = EXCLUDED.outbox_depth,
         oldest_age_seconds = EXCLUDED.oldest_age_seconds, dropped = EXCLUDED.dropped, last_ack_at = EXCLUDED.last_ack_at,
         reconnects = EXCLUDED.reconnects, rebirths = EXCLUDED.rebirths, mqtt_connected = EXCLUDED.mqtt_connected,
         inputs = EXCLUDED.inputs`,
      [
        h.gatewayId,
        h.version,
        now,
        h.outboxDepth,
        h.oldestAgeSeconds,
        h.dropped,
        h.lastAckAt === null ? null : new Date(h.lastAckAt),
        h.reconnects,
        h.rebirths,
        h.mqttConnected,
        JSON.stringify(h.inputs),
      ],
    );
    return { ok: true };
  }

  async list(now = Date.now()): Promise<GatewayStatus[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM gateways ORDER BY gateway_id`)) as GatewayRow[];
    return rows.map((r) => toStatus(r, now));
  }
}

export function toStatus(r: GatewayRow, now: number): GatewayStatus {
  const lastSeen = new Date(r.last_seen_at).getTime();
  const lastAck = r.last_ack_at === null ? null : new Date(r.last_ack_at).getTime();
  // Lag: how long the oldest unsent event has waited; 0 when the outbox is empty.
  const lag = r.oldest_age_seconds ?? (Number(r.outbox_depth) === 0 ? 0 : null);
  return {
    gatewayId: r.gateway_id,
    version: r.version,
    status: now - lastSeen <= GATEWAY_ONLINE_WINDOW_MS ? 'online' : 'offline',
    lastSeenAt: new Date(lastSeen).toISOString(),
    lastSeenAgoSeconds: Math.max(0, Math.round((now - lastSeen) / 100) / 10),
    outboxDepth: Number(r.outbox_depth),
    oldestAgeSeconds: r.oldest_age_seconds,
    dropped: Number(r.dropped),
    lastAckAt: lastAck === null ? null : new Date(lastAck).toISOString(),
    lagSeconds: lag,
    reconnects: Number(r.reconnects),
    rebirths: Number(r.rebirths),
    mqttConnected: r.mqtt_connected,
    inputs: r.inputs,
  };
}
