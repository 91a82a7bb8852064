import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EPOCH_MS, FROM_EPOCH_MS } from '../../database/sql-time.js';
import {
  isActiveState,
  STATION_STATES,
  type MinuteCount,
  type StateInterval,
  type StationEvent,
  type StationState,
} from '@floorboard/shared';
import { KpiRollupStore } from './kpi-rollup.store.js';
import { planIntervalChanges, type HistoryStateEvent, type Landing } from './interval-plan.js';

export interface StationCounts {
  good: number;
  scrap: number;
}

/**
 * The persisted history KPIs are read from: `state_intervals` (per-event rows, see the migration) and
 * `production_minutes`. `record` runs inside the ingest transaction with the events it inserted, set-based
 * (a handful of statements per batch, whatever its size); late and backfilled events split the row they land in.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rollups: KpiRollupStore,
  ) {}

  async record(tx: EntityManager, events: readonly StationEvent[]): Promise<void> {
    const states: HistoryStateEvent[] = [];
    const counts = new Map<string, { line: string; station: string; minute: number; good: number; scrap: number }>();
    for (const e of events) {
      if (e.type === 'state' && e.state !== undefined) {
        states.push({
          line: e.line,
          station: e.station,
          ts: e.ts,
          seq: e.seq,
          state: e.state,
          reason: e.reason ?? null,
          historical: e.historical ?? false,
        });
      } else if (e.type === 'count' && ((e.good ?? 0) !== 0 || (e.scrap ?? 0) !== 0)) {
        const minute = Math.floor(e.ts / 60_000) * 60_000;
        const key = `${e.line}\u0000${e.station}\u0000${minute}`;
        const entry = counts.get(key) ?? { line: e.line, station: e.station, minute, good: 0, scrap: 0 };
        entry.good += e.good ?? 0;
        entry.scrap += e.scrap ?? 0;
        counts.set(key, entry);
      }
    }
    if (states.length > 0) {
      await this.recordStates(tx, states);
      await this.rollups.invalidateLate(tx, states, Date.now());
    }
    if (counts.size > 0) {
      // Sorted, so concurrent batches lock rows in the same order.
      const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
      await tx.query(
        `INSERT INTO production_minutes (line_key, station_key, minute_ts, good, scrap)
         SELECT line, station, ${FROM_EPOCH_MS} minute_ms, good, scrap
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS t(line, station, minute_ms, good, scrap)
         ON CONFLICT (line_key, station_key, minute_ts) DO UPDATE
           SET good = production_minutes.good + EXCLUDED.good, scrap = production_minutes.scrap + EXCLUDED.scrap`,
        [
          rows.map((r) => r.line),
          rows.map((r) => r.station),
          rows.map((r) => r.minute),
          rows.map((r) => r.good),
          rows.map((r) => r.scrap),
        ],
      );
    }
  }

  private async recordStates(tx: EntityManager, events: HistoryStateEvent[]): Promise<void> {
    // One writer per station at a time (locks taken in a fixed order): the landing rows stay valid until COMMIT.
    const stationIds = [...new Set(events.map((e) => `${e.line}/${e.station}`))].sort();
    await tx.query(
      `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext(s) AS k FROM unnest($1::text[]) s) l ORDER BY k`,
      [stationIds],
    );
    const found = (await tx.query(
      `SELECT t.i, r.id, ${EPOCH_MS('r.start_ts')} AS start_ms, ${EPOCH_MS('r.end_ts')} AS end_ms,
              CASE WHEN r.id IS NULL THEN (
                SELECT ${EPOCH_MS('min(n.start_ts)')} FROM state_intervals n
                 WHERE n.line_key = t.line AND n.station_key = t.station AND n.start_ts > ${FROM_EPOCH_MS} t.ts) END AS next_ms
         FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[]) AS t(i, line, station, ts)
         LEFT JOIN LATERAL (
           SELECT s.id, s.start_ts, s.end_ts FROM state_intervals s
            WHERE s.line_key = t.line AND s.station_key = t.station AND s.start_ts <= ${FROM_EPOCH_MS} t.ts
            ORDER BY s.start_ts DESC LIMIT 1) r ON true`,
      [events.map((_, i) => i), events.map((e) => e.line), events.map((e) => e.station), events.map((e) => e.ts)],
    )) as { i: number; id: string | null; start_ms: string | null; end_ms: string | null; next_ms: string | null }[];
    const landings: Landing[] = new Array<Landing>(events.length);
    for (const r of found) {
      landings[r.i] = {
        row:
          r.id === null
            ? null
            : { id: String(r.id), start: Number(r.start_ms), end: r.end_ms === null ? null : Number(r.end_ms) },
        nextStart: r.next_ms === null ? null : Number(r.next_ms),
      };
    }
    const plan = planIntervalChanges(events, landings);
    if (plan.updates.length > 0) {
      await tx.query(
        `UPDATE state_intervals s
            SET end_ts = CASE WHEN u.end_ms IS NULL THEN NULL ELSE ${FROM_EPOCH_MS} u.end_ms END,
                state = CASE WHEN u.replace THEN u.state ELSE s.state END,
                reason = CASE WHEN u.replace THEN u.reason ELSE s.reason END
           FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::text[], $5::text[]) AS u(id, end_ms, replace, state, reason)
          WHERE s.id = u.id`,
        [
          plan.updates.map((u) => u.id),
          plan.updates.map((u) => u.end),
          plan.updates.map((u) => u.replace !== null),
          plan.updates.map((u) => u.replace?.state ?? null),
          plan.updates.map((u) => u.replace?.reason ?? null),
        ],
      );
    }
    if (plan.inserts.length > 0) {
      const rows = plan.inserts;
      await tx.query(
        `INSERT INTO state_intervals (line_key, station_key, state, reason, start_ts, end_ts, historical)
         SELECT line, station, state, reason, ${FROM_EPOCH_MS} start_ms, CASE WHEN end_ms IS NULL THEN NULL ELSE ${FROM_EPOCH_MS} end_ms END, historical
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::boolean[])
             AS t(line, station, state, reason, start_ms, end_ms, historical)`,
        [
          rows.map((r) => r.line),
          rows.map((r) => r.station),
          rows.map((r) => r.state),
          rows.map((r) => r.reason),
          rows.map((r) => r.start),
          rows.map((r) => r.end),
          rows.map((r) => r.historical),
        ],
      );
    }
  }

  /**
   * The stored rows of a line's stations (those of the plant file) overlapping `[from, to)`, merged per station (touching rows of the same
   * state are one interval) and sorted by station then start. Rows are not cut; an open row ends at `openEnd`.
   * With `stations`, only theirs.
   */
  async intervals(
    line: string,
    from: number,
    to: number,
    openEnd: number,
    stations?: readonly string[],
  ): Promise<StateInterval[]> {
    // The rows starting in the window, plus per station the one row in force at `from` (a station's rows never
    // overlap): both are index range scans, so the cost follows the window, not the history before it.
    // One JSON array instead of a row per interval: a week of a line is tens of thousands of rows, and the
    // driver's per-row parsing cost more than the query itself.
    const [{ rows: json }] = (await this.dataSource.query(
      `WITH picked AS (
         SELECT station_key, state, reason, start_ts, end_ts FROM state_intervals
          WHERE line_key = $1 AND start_ts >= ${FROM_EPOCH_MS} $2::bigint AND start_ts < ${FROM_EPOCH_MS} $3::bigint
            AND station_key IN (SELECT key FROM stations WHERE line_key = $1 AND ($4::text[] IS NULL OR key = ANY($4)))
         UNION ALL
         SELECT r.station_key, r.state, r.reason, r.start_ts, r.end_ts
           FROM stations st
           CROSS JOIN LATERAL (
             SELECT i.station_key, i.state, i.reason, i.start_ts, i.end_ts FROM state_intervals i
              WHERE i.line_key = st.line_key AND i.station_key = st.key AND i.start_ts < ${FROM_EPOCH_MS} $2::bigint
              ORDER BY i.start_ts DESC LIMIT 1) r
          WHERE st.line_key = $1 AND ($4::text[] IS NULL OR st.key = ANY($4))
            AND (r.end_ts IS NULL OR r.end_ts > ${FROM_EPOCH_MS} $2::bigint))
       SELECT COALESCE(json_agg(json_build_array(station_key, state, reason, ${EPOCH_MS('start_ts')}, ${EPOCH_MS('end_ts')})
                                ORDER BY station_key, start_ts), '[]')::text AS rows
         FROM picked`,
      [line, from, to, stations ?? null],
    )) as [{ rows: string }];
    const rows = JSON.parse(json) as [string, StationState, string | null, number, number | null][];
    const out: StateInterval[] = [];
    for (const [station, state, reason, start, storedEnd] of rows) {
      const end = storedEnd === null ? Math.max(start, openEnd) : storedEnd;
      if (end <= start) continue;
      const last = out[out.length - 1];
      if (last && last.station === station && last.state === state && last.end === start) {
        last.end = end;
        last.reason = reason ?? last.reason;
      } else {
        out.push({ station, state, reason, start, end });
      }
    }
    return out;
  }

  /** When the line's first stored state began (its earliest row over its stations), or null if it has none. */
  async firstStateStart(line: string): Promise<number | null> {
    // Per station the first row by the (line, station, start) index, rather than min() over every row of the line.
    const [{ first }] = (await this.dataSource.query(
      `SELECT ${EPOCH_MS('min(f.start_ts)')} AS first
         FROM stations st
         CROSS JOIN LATERAL (
           SELECT i.start_ts FROM state_intervals i
            WHERE i.line_key = st.line_key AND i.station_key = st.key
            ORDER BY i.start_ts LIMIT 1) f
        WHERE st.line_key = $1`,
      [line],
    )) as [{ first: string | null }];
    return first === null ? null : Number(first);
  }

  /** Good and scrap per station of a line over the minutes starting in `[from, to)`. */
  async counts(line: string, from: number, to: number): Promise<Map<string, StationCounts>> {
    const rows = (await this.dataSource.query(
      `SELECT station_key, sum(good)::bigint AS good, sum(scrap)::bigint AS scrap FROM production_minutes
        WHERE line_key = $1 AND minute_ts >= ${FROM_EPOCH_MS} $2::bigint AND minute_ts < ${FROM_EPOCH_MS} $3::bigint
        GROUP BY station_key`,
      [line, from, to],
    )) as { station_key: string; good: string; scrap: string }[];
    return new Map(rows.map((r) => [r.station_key, { good: Number(r.good), scrap: Number(r.scrap) }]));
  }

  /** One station's good and scrap per minute, for the minutes starting in `[from, to)`, oldest first. */
  async minuteCounts(line: string, station: string, from: number, to: number): Promise<MinuteCount[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${EPOCH_MS('minute_ts')} AS minute, good, scrap FROM production_minutes
        WHERE line_key = $1 AND station_key = $2 AND minute_ts >= ${FROM_EPOCH_MS} $3::bigint AND minute_ts < ${FROM_EPOCH_MS} $4::bigint
        ORDER BY minute_ts`,
      [line, station, from, to],
    )) as { minute: string; good: string; scrap: string }[];
    return rows.map((r) => ({ minute: Number(r.minute), good: Number(r.good), scrap: Number(r.scrap) }));
  }

  /**
   * Per station of a line, when its ongoing run of active states began (the end of its newest inactive or
   * excluded row, else its first row); meaningful for stations whose current state is active.
   */
  async ongoingActiveStarts(line: string): Promise<Map<string, number>> {
    const inactive = STATION_STATES.filter((s) => !isActiveState(s));
    const rows = (await this.dataSource.query(
      `SELECT s.key AS station_key, COALESCE(
                (SELECT ${EPOCH_MS('i.end_ts')} FROM state_intervals i
                  WHERE i.line_key = s.line_key AND i.station_key = s.key AND i.end_ts IS NOT NULL
                    AND i.state = ANY($2::text[])
                  ORDER BY i.end_ts DESC LIMIT 1),
                (SELECT ${EPOCH_MS('min(i.start_ts)')} FROM state_intervals i
                  WHERE i.line_key = s.line_key AND i.station_key = s.key)) AS since
         FROM stations s WHERE s.line_key = $1`,
      [line, inactive],
    )) as { station_key: string; since: string | null }[];
    return new Map(rows.filter((r) => r.since !== null).map((r) => [r.station_key, Number(r.since)]));
  }
}
