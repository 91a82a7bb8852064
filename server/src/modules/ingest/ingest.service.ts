import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IngestResult, StationEvent } from '@floorboard/shared';
import { badRequest } from '../../common/error-codes.js';
import { FROM_EPOCH_MS } from '../../database/sql-time.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { HistoryService } from '../history/history.service.js';
import { LiveStateService } from '../live/live-state.service.js';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from './pg-array-literal.js';
import { validateIngestBatch, type ValidatedBatch } from './validate-batch.js';

/**
 * Persists gateway batches: valid events are inserted idempotently on (gateway_id, seq), the new ones
 * extend the history (state intervals, per-minute counts), invalid ones go to the dead-letter table, all in
 * one transaction; the answer is sent only after COMMIT.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('Ingest');

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveStateService,
    private readonly history: HistoryService,
    private readonly metrics: MetricsService,
  ) {}

  async ingest(body: unknown): Promise<IngestResult> {
    const validation = validateIngestBatch(body);
    if (!validation.ok) throw badRequest('INGEST_BODY_INVALID', validation.message, validation.details);
    const batch = validation.batch;
    const stopTimer = this.metrics.ingestBatchSeconds.startTimer();
    const inserted = await this.dataSource.transaction(async (tx) => {
      const insertedEvents = await this.insertEvents(tx, batch.gatewayId, batch.valid);
      await this.history.record(tx, insertedEvents);
      await this.insertDeadLetters(tx, batch);
      await this.registerUnplaced(tx, insertedEvents);
      return insertedEvents;
    });
    stopTimer();
    this.live.applyCommitted(inserted);

    const duplicates = batch.valid.length - inserted.length + batch.repeatedInBatch;
    this.metrics.ingestEvents.inc({ outcome: 'accepted' }, inserted.length);
    this.metrics.ingestEvents.inc({ outcome: 'duplicate' }, duplicates);
    this.metrics.ingestEvents.inc({ outcome: 'rejected' }, batch.rejected.length);
    for (const r of batch.rejected) this.metrics.ingestRejected.inc({ code: r.code });
    if (batch.rejected.length > 0) {
      this.logger.warn({
        msg: 'ingest events rejected into dead letters',
        gatewayId: batch.gatewayId,
        rejected: batch.rejected.length,
        first: { seq: batch.rejected[0]!.seq, code: batch.rejected[0]!.code, message: batch.rejected[0]!.message },
      });
    }
    return {
      accepted: inserted.length,
      duplicates,
      rejected: batch.rejected.map(({ seq, code, message }) => ({ seq, code, message })),
    };
  }

  /**
   * One set-based INSERT per batch; returns the events that were new (not duplicates). Every valid event carries
   * the batch's gatewayId (checked in validation), so it is one parameter rather than a column of copies.
   */
  private async insertEvents(tx: EntityManager, gatewayId: string, events: StationEvent[]): Promise<StationEvent[]> {
    if (events.length === 0) return [];
    const text = (pick: (e: StationEvent) => string | undefined) => textArrayLiteral(events.map(pick));
    const numbers = (pick: (e: StationEvent) => number | undefined) => numberArrayLiteral(events.map(pick));
    const rows = (await tx.query(
      `INSERT INTO station_events
         (gateway_id, seq, line_key, station_key, ts, type, state, reason, good, scrap, cycle_ms, historical, source)
       SELECT $1, seq, line_key, station_key, ${FROM_EPOCH_MS} ts_ms, type, state, reason, good, scrap,
              cycle_ms, historical, source
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                     $9::int[], $10::int[], $11::int[], $12::boolean[], $13::text[])
           AS t(seq, line_key, station_key, ts_ms, type, state, reason, good, scrap, cycle_ms, historical, source)
       ON CONFLICT (gateway_id, seq) DO NOTHING
       RETURNING seq`,
      [
        gatewayId,
        numbers((e) => e.seq),
        text((e) => e.line),
        text((e) => e.station),
        numbers((e) => e.ts),
        text((e) => e.type),
        text((e) => e.state),
        text((e) => e.reason),
        numbers((e) => e.good),
        numbers((e) => e.scrap),
        numbers((e) => e.cycleMs),
        booleanArrayLiteral(events.map((e) => e.historical ?? false)),
        text((e) => e.source),
      ],
    )) as { seq: string }[];
    if (rows.length === events.length) return events;
    const insertedSeqs = new Set(rows.map((r) => Number(r.seq)));
    return events.filter((e) => insertedSeqs.has(e.seq));
  }

  private async insertDeadLetters(tx: EntityManager, batch: ValidatedBatch): Promise<void> {
    if (batch.rejected.length === 0) return;
    await tx.query(
      `INSERT INTO ingest_dead_letters (gateway_id, seq, code, message, payload)
       SELECT $1, seq, code, message, payload FROM unnest($2::bigint[], $3::text[], $4::text[], $5::jsonb[])
         AS t(seq, code, message, payload)`,
      [
        batch.gatewayId,
        batch.rejected.map((r) => r.seq),
        batch.rejected.map((r) => r.code),
        batch.rejected.map((r) => r.message),
        batch.rejected.map((r) => JSON.stringify(r.raw)),
      ],
    );
  }

  /** Stations that are not in the plant file are kept and listed for the admin, never dropped. */
  private async registerUnplaced(tx: EntityManager, events: StationEvent[]): Promise<void> {
    const counts = new Map<string, { line: string; station: string; n: number }>();
    for (const e of events) {
      if (this.live.isPlaced(e.line, e.station)) continue;
      const id = `${e.line}/${e.station}`;
      const entry = counts.get(id) ?? { line: e.line, station: e.station, n: 0 };
      entry.n += 1;
      counts.set(id, entry);
    }
    if (counts.size === 0) return;
    // Sorted, so concurrent batches (a gateway sends two at a time) lock the rows in the same order.
    const entries = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    await tx.query(
      `INSERT INTO unplaced_stations (line_key, station_key, event_count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (line_key, station_key) DO UPDATE
         SET event_count = unplaced_stations.event_count + EXCLUDED.event_count, last_seen_at = now()`,
      [entries.map((e) => e.line), entries.map((e) => e.station), entries.map((e) => e.n)],
    );
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM unplaced_stations`)) as [{ n: number }];
    this.metrics.unplacedStations.set(n);
  }
}
