import { Counter, Gauge, Registry } from 'prom-client';

/** Every Prometheus metric the gateway exposes, registered on one (per-gateway) registry. */
export interface GatewayMetrics {
  registry: Registry;
  messages: Counter<'input'>;
  decodeErrors: Counter<'input' | 'code'>;
  eventsSent: Counter;
  eventsRejected: Counter<'code'>;
  ingestFailures: Counter<'reason'>;
  lastAckTimestamp: Gauge;
  mqttConnected: Gauge;
  mqttReconnects: Counter;
  ignored: Counter<'input' | 'reason'>;
  rebirths: Counter<'reason'>;
  duplicatesSkipped: Counter;
}

export interface OutboxGaugeSource {
  depth(): number;
  dropped(): number;
  oldestAgeMs(): number | null;
}

export function createGatewayMetrics(registry = new Registry()): GatewayMetrics {
  const registers = [registry];
  return {
    registry,
    messages: new Counter({
      name: 'floorboard_gateway_messages_total',
      help: 'MQTT messages decoded successfully, by input',
      labelNames: ['input'],
      registers,
    }),
    decodeErrors: new Counter({
      name: 'floorboard_gateway_decode_errors_total',
      help: 'MQTT messages rejected by an input, by input and error code',
      labelNames: ['input', 'code'],
      registers,
    }),
    eventsSent: new Counter({
      name: 'floorboard_gateway_events_sent_total',
      help: 'Events acknowledged by the server (accepted, duplicate or rejected into its dead-letter table)',
      registers,
    }),
    eventsRejected: new Counter({
      name: 'floorboard_gateway_events_rejected_total',
      help: 'Events the server rejected as invalid (kept in its dead-letter table), by code',
      labelNames: ['code'],
      registers,
    }),
    ingestFailures: new Counter({
      name: 'floorboard_gateway_ingest_failures_total',
      help: 'Failed ingest requests that will be retried, by reason',
      labelNames: ['reason'],
      registers,
    }),
    lastAckTimestamp: new Gauge({
      name: 'floorboard_gateway_last_ack_timestamp_seconds',
      help: 'Unix time of the last batch the server acknowledged',
      registers,
    }),
    mqttConnected: new Gauge({
      name: 'floorboard_gateway_mqtt_connected',
      help: '1 while connected to the MQTT broker',
      registers,
    }),
    mqttReconnects: new Counter({
      name: 'floorboard_gateway_mqtt_reconnects_total',
      help: 'MQTT reconnection attempts',
      registers,
    }),
    ignored: new Counter({
      name: 'floorboard_gateway_messages_ignored_total',
      help: 'Well-formed MQTT messages with nothing for Floorboard (e.g. UMH addOrder), by input and reason',
      labelNames: ['input', 'reason'],
      registers,
    }),
    rebirths: new Counter({
      name: 'floorboard_gateway_sparkplug_rebirths_requested_total',
      help: 'Sparkplug Rebirth NCMDs sent, by reason',
      labelNames: ['reason'],
      registers,
    }),
    duplicatesSkipped: new Counter({
      name: 'floorboard_gateway_redeliveries_skipped_total',
      help: 'MQTT redeliveries of messages already stored (recognised by packet id and content hash)',
      registers,
    }),
  };
}

/** Outbox gauges read the outbox at scrape time, so they are never stale. */
export function registerOutboxGauges(registry: Registry, outbox: OutboxGaugeSource): void {
  new Gauge({
    name: 'floorboard_gateway_outbox_depth',
    help: 'Events waiting in the outbox for the server to acknowledge them',
    registers: [registry],
    collect() {
      this.set(outbox.depth());
    },
  });
  new Gauge({
    name: 'floorboard_gateway_outbox_oldest_age_seconds',
    help: 'Age of the oldest unacknowledged event in the outbox (0 when empty)',
    registers: [registry],
    collect() {
      this.set((outbox.oldestAgeMs() ?? 0) / 1000);
    },
  });
  new Gauge({
    name: 'floorboard_gateway_outbox_dropped_events',
    help: 'Events dropped by the outbox size and age bounds since the data dir was created (never silently)',
    registers: [registry],
    collect() {
      this.set(outbox.dropped());
    },
  });
}
