import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EPOCH_MS, FROM_EPOCH_MS } from '../../database/sql-time.js';
import type { KpiPartial, StoredKpiPartial } from '@floorboard/shared';

/** Rollup buckets are 15 minutes on the epoch grid: every shift and production-day edge in use falls on it. */
export const KPI_BUCKET_MS = 15 * 60_000;
/** A state event this much older than the server's clock is late: it invalidates the rollups it may touch. */
export const KPI_LATE_AFTER_MS = 10 * 60_000;
/**
 * A bucket is stored only when everything it depends on ended this long ago: later than the late limit, with
 * room for an ingest transaction that began before the rollup was computed (its events are not late yet).
 */
export const KPI_SETTLED_AFTER_MS = KPI_LATE_AFTER_MS + 5 * 60_000;

/** As stored: each station's vector (`StationPartial`) in the row's `stations` order, then the Pareto parts. */
interface StoredFigures {
  s: number[][];
  d: [string | null, string | null, number, number][];
}

function encode(partial: KpiPartial): StoredFigures {
  return {
    s: partial.stations,
    d: partial.downtime.map((d) => [d.reasonKey, d.stationReason, d.ms, d.count]),
  };
}

function decode(start: number, end: number, figures: StoredFigures): KpiPartial {
  return {
    start,
    end,
    stations: figures.s,
    downtime: figures.d.map(([reasonKey, stationReason, ms, count]) => ({ reasonKey, stationReason, ms, count })),
  };
}

/** What a rollup was computed under; rows computed under anything else are not used. */
export interface RollupSettings {
  microStopMs: number;
  /** The line's stations in flow order. */
  stations: readonly string[];
}

/**
 * The stored KPI rollups (migration `1764340000000-kpi-rollups`): per line and 15-minute bucket the additive KPI
 * figures and the extent they depend on. See `kpi-partials.ts` in shared for why a stored bucket gives exactly
 * the figures of a computation over any window containing its extent.
 */
@Injectable()
export class KpiRollupStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inside the ingest transaction: late state events make the rollups they may touch stale. An event at `ts`
   * changes the history from `ts` on only, so a bucket whose extent ends before the earliest one stays valid.
   */
  async invalidateLate(tx: EntityManager, events: readonly { line: string; ts: number }[], now: number): Promise<void> {
    const earliest = new Map<string, number>();
    for (const e of events) {
      if (e.ts > now - KPI_LATE_AFTER_MS) continue;
      earliest.set(e.line, Math.min(earliest.get(e.line) ?? Infinity, e.ts));
    }
    if (earliest.size === 0) return;
    const lines = [...earliest.keys()].sort();
    const since = lines.map((line) => earliest.get(line)!);
    // The epoch first: a rollup being computed from data read before this commit is then refused (see save).
    await tx.query(`UPDATE kpi_rollup_epochs SET epoch = epoch + 1 WHERE line_key = ANY($1::text[])`, [lines]);
    await tx.query(
      `DELETE FROM kpi_rollups r USING unnest($1::text[], $2::bigint[]) AS l(line, since_ms)
        WHERE r.line_key = l.line AND r.extent_end >= ${FROM_EPOCH_MS} l.since_ms`,
      [lines, since],
    );
  }

  /** The line's invalidation count; null before any rollup of the line was computed. */
  async currentEpoch(line: string): Promise<number | null> {
    const [row] = (await this.dataSource.query(`SELECT epoch FROM kpi_rollup_epochs WHERE line_key = $1`, [line])) as {
      epoch: string;
    }[];
    return row ? Number(row.epoch) : null;
  }

  /**
   * The line's invalidation count, read before the data a rollup is computed from; creates the line's row, which
   * invalidations bump from then on.
   */
  async startEpoch(line: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO kpi_rollup_epochs (line_key) VALUES ($1)
         ON CONFLICT (line_key) DO UPDATE SET epoch = kpi_rollup_epochs.epoch RETURNING epoch`,
      [line],
    )) as { epoch: string }[];
    return Number(row!.epoch);
  }

  /** The stored buckets of a line starting in `[from, to)` that were computed under `settings`. */
  async load(line: string, from: number, to: number, settings: RollupSettings): Promise<StoredKpiPartial[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${EPOCH_MS('bucket_start')} AS start, ${EPOCH_MS('bucket_end')} AS "end",
              ${EPOCH_MS('extent_start')} AS extent_start, ${EPOCH_MS('extent_end')} AS extent_end, figures::text AS figures
         FROM kpi_rollups
        WHERE line_key = $1 AND bucket_start >= ${FROM_EPOCH_MS} $2::bigint AND bucket_start < ${FROM_EPOCH_MS} $3::bigint
          AND micro_stop_ms = $4 AND stations = $5
        ORDER BY bucket_start`,
      [line, from, to, settings.microStopMs, JSON.stringify(settings.stations)],
    )) as { start: string; end: string; extent_start: string; extent_end: string; figures: string }[];
    return rows.map((r) => ({
      partial: decode(Number(r.start), Number(r.end), JSON.parse(r.figures) as StoredFigures),
      extent: { start: Number(r.extent_start), end: Number(r.extent_end) },
    }));
  }

  /** The starts of the stored buckets of a line starting in `[from, to)` computed under `settings`. */
  async storedStarts(line: string, from: number, to: number, settings: RollupSettings): Promise<Set<number>> {
    const rows = (await this.dataSource.query(
      `SELECT ${EPOCH_MS('bucket_start')} AS start FROM kpi_rollups
        WHERE line_key = $1 AND bucket_start >= ${FROM_EPOCH_MS} $2::bigint AND bucket_start < ${FROM_EPOCH_MS} $3::bigint
          AND micro_stop_ms = $4 AND stations = $5`,
      [line, from, to, settings.microStopMs, JSON.stringify(settings.stations)],
    )) as { start: string }[];
    return new Set(rows.map((r) => Number(r.start)));
  }

  /**
   * Stores computed buckets, unless the line's epoch moved since `epoch` was read: then an invalidation
   * committed meanwhile and the figures may be stale. Returns whether they were stored.
   */
  async save(
    line: string,
    epoch: number,
    settings: RollupSettings,
    buckets: readonly StoredKpiPartial[],
  ): Promise<boolean> {
    if (buckets.length === 0) return true;
    return this.dataSource.transaction(async (tx) => {
      // FOR SHARE waits for an ingest transaction that is bumping the epoch, then sees its bump.
      const [row] = (await tx.query(`SELECT epoch FROM kpi_rollup_epochs WHERE line_key = $1 FOR SHARE`, [line])) as {
        epoch: string;
      }[];
      if (!row || Number(row.epoch) !== epoch) return false;
      await tx.query(
        `INSERT INTO kpi_rollups (line_key, bucket_start, bucket_end, extent_start, extent_end, micro_stop_ms, stations, figures)
         SELECT $1, ${FROM_EPOCH_MS} b.start_ms, ${FROM_EPOCH_MS} b.end_ms, ${FROM_EPOCH_MS} b.extent_start_ms, ${FROM_EPOCH_MS} b.extent_end_ms, $2, $3, b.figures::json
           FROM unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::text[])
             AS b(start_ms, end_ms, extent_start_ms, extent_end_ms, figures)
         ON CONFLICT (line_key, bucket_start) DO UPDATE SET
           bucket_end = EXCLUDED.bucket_end, extent_start = EXCLUDED.extent_start, extent_end = EXCLUDED.extent_end,
           micro_stop_ms = EXCLUDED.micro_stop_ms, stations = EXCLUDED.stations, figures = EXCLUDED.figures,
           computed_at = now()`,
        [
          line,
          settings.microStopMs,
          JSON.stringify(settings.stations),
          buckets.map((b) => b.partial.start),
          buckets.map((b) => b.partial.end),
          buckets.map((b) => b.extent.start),
          buckets.map((b) => b.extent.end),
          buckets.map((b) => JSON.stringify(encode(b.partial))),
        ],
      );
      return true;
    });
  }
}
