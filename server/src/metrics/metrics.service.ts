import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per app instance (tests boot several apps in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpErrors = new Counter({
    name: 'floorboard_http_errors_total',
    help: 'HTTP error responses by error code',
    labelNames: ['code', 'status'],
    registers: [this.registry],
  });
  readonly ingestEvents = new Counter({
    name: 'floorboard_ingest_events_total',
    help: 'Events received on the ingest endpoint by outcome (accepted, duplicate, rejected)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly ingestRejected = new Counter({
    name: 'floorboard_ingest_rejected_total',
    help: 'Ingest events rejected into the dead-letter table, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly ingestBatchSeconds = new Histogram({
    name: 'floorboard_ingest_batch_seconds',
    help: 'Time to validate and commit one ingest batch',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly plantErrors = new Counter({
    name: 'floorboard_plant_file_errors_total',
    help: 'Plant files rejected at boot or through the API, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly unplacedStations = new Gauge({
    name: 'floorboard_unplaced_stations',
    help: 'Stations that sent data but are not in the plant topology',
    registers: [this.registry],
  });
  readonly socketClients = new Gauge({
    name: 'floorboard_socket_clients',
    help: 'Connected socket.io clients on /live',
    registers: [this.registry],
  });
  readonly socketRejected = new Counter({
    name: 'floorboard_socket_rejected_total',
    help: 'Socket handshakes or messages rejected, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly socketEmits = new Counter({
    name: 'floorboard_socket_emits_total',
    help: 'Realtime events emitted to line rooms, by event name',
    labelNames: ['event'],
    registers: [this.registry],
  });

  readonly authFailures = new Counter({
    name: 'floorboard_auth_failures_total',
    help: 'Refused sign-ins and requests, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly auditRecords = new Counter({
    name: 'floorboard_audit_records_total',
    help: 'Rows appended to the audit log, by action',
    labelNames: ['action'],
    registers: [this.registry],
  });
  readonly auditMissing = new Counter({
    name: 'floorboard_audit_missing_total',
    help: 'Successful mutations that wrote no audit row (a bug), by route',
    labelNames: ['route'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'floorboard_server_' });
  }
}
