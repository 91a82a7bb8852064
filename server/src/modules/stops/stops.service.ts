import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  classifyStops,
  isStopState,
  parseStopId,
  reasonMatcher,
  stopId,
  type ClassifiedInterval,
  type StateInterval,
  type StationState,
  type Stop,
  type StopClassification,
  type StopRef,
  type StopState,
} from '@floorboard/shared';
import { badRequest, notFound } from '../../common/error-codes.js';
import { AuditService } from '../audit/audit.service.js';
import { EPOCH_MS } from '../../database/sql-time.js';
import { currentRequestContext } from '../audit/request-context.js';
import { LinesService } from '../lines/lines.service.js';
import { LiveStateService } from '../live/live-state.service.js';
import { ReasonsService } from './reasons.service.js';
import { unprocessable } from './stops.errors.js';

const DAY_MS = 24 * 3600_000;
const MAX_WINDOW_MS = 31 * DAY_MS;
const MS = `to_timestamp($X::double precision / 1000)`;
const at = (param: number) => MS.replace('$X', `$${param}`);
/** Epoch ms in a bigint column to a timestamp, exactly (no floating point on the way). */
const MS_OF = (column: string) => `(timestamptz 'epoch' + interval '1 millisecond' * ${column})`;
/** The end of a stop that is still going on (split points after now cannot exist yet). */
const OPEN = Number.MAX_SAFE_INTEGER;

/** Who gave a coordinator's reason, and when (epoch ms). */
interface Classifier {
  classifiedBy: string;
  classifiedAt: number;
}

/** A classified stop part; an ongoing one ends at OPEN. Who classified it is known for a coordinator's reason. */
interface StopPart extends ClassifiedInterval {
  ongoing: boolean;
  classifier: Classifier | null;
}

/**
 * Stops (`down` and `changeover` intervals) of a line's stations, with their reasons: the station's text when
 * it matches the catalogue, or a coordinator's classification (`stop_classifications`, split points included).
 * Stops are read from the persisted history (`state_intervals`, maintained at ingest), not rebuilt from events.
 */
@Injectable()
export class StopsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LinesService,
    private readonly reasons: ReasonsService,
    private readonly audit: AuditService,
    private readonly live: LiveStateService,
  ) {}

  async list(
    lineKey: string,
    query: { from?: string; to?: string; unclassified?: 'true' | 'false' },
    now = Date.now(),
  ): Promise<Stop[]> {
    const to = query.to ? Date.parse(query.to) : now;
    const from = query.from ? Date.parse(query.from) : to - DAY_MS;
    if (!(to > from)) throw badRequest('VALIDATION_FAILED', 'from must be before to');
    if (to - from > MAX_WINDOW_MS) throw badRequest('WINDOW_TOO_LONG', 'at most 31 days per request');
    const line = await this.lines.get(lineKey);
    const parts = await this.parts(
      this.dataSource.manager,
      lineKey,
      line.stations.map((s) => s.key),
      from,
      to,
      now,
    );
    const stops = parts.filter((p) => p.end > from).map((p) => toStop(lineKey, p, now));
    return query.unclassified === 'true' ? stops.filter((s) => s.reason === null) : stops;
  }

  async classify(id: string, reasonKey: string, now = Date.now()): Promise<Stop> {
    const ref = await this.resolve(id);
    const stop = await this.dataSource.transaction(async (tx) => {
      await this.reasons.requireKeys(tx, [reasonKey]);
      const part = await this.findPart(tx, ref, now);
      const before = toStop(ref.line, part, now);
      if (part.reasonSource === 'coordinator' && part.reason === reasonKey) {
        this.audit.noChange();
        return before;
      }
      const [classifier] = await this.upsert(tx, ref, [
        { station: ref.station, start: part.start, reasonKey, split: part.start !== part.stopStart },
      ]);
      const after = toStop(
        ref.line,
        { ...part, reason: reasonKey, reasonSource: 'coordinator', classifier: classifier ?? null },
        now,
      );
      await this.audit.record(tx, {
        action: 'stop.classified',
        entity: 'stop',
        entityId: before.id,
        before: { reason: before.reason, reasonSource: before.reasonSource },
        after: { reason: reasonKey, reasonSource: 'coordinator' },
      });
      return after;
    });
    await this.live.reclassified(ref.line);
    return stop;
  }

  async split(
    id: string,
    body: { at: string; firstReasonKey: string; secondReasonKey: string },
    now = Date.now(),
  ): Promise<Stop[]> {
    const ref = await this.resolve(id);
    const splitAt = Date.parse(body.at);
    const stops = await this.dataSource.transaction(async (tx) => {
      await this.reasons.requireKeys(tx, [body.firstReasonKey, body.secondReasonKey]);
      const part = await this.findPart(tx, ref, now);
      const end = part.ongoing ? now : part.end;
      if (!(splitAt > part.start && splitAt < end)) {
        throw unprocessable(
          'SPLIT_OUTSIDE_STOP',
          `at must be strictly between the stop's start ${new Date(part.start).toISOString()} and ` +
            (part.ongoing ? 'now' : `its end ${new Date(end).toISOString()}`),
        );
      }
      const [firstBy, secondBy] = await this.upsert(tx, ref, [
        {
          station: ref.station,
          start: part.start,
          reasonKey: body.firstReasonKey,
          split: part.start !== part.stopStart,
        },
        { station: ref.station, start: splitAt, reasonKey: body.secondReasonKey, split: true },
      ]);
      const first: StopPart = {
        ...part,
        end: splitAt,
        ongoing: false,
        reason: body.firstReasonKey,
        reasonSource: 'coordinator',
        classifier: firstBy ?? null,
      };
      const second: StopPart = {
        ...part,
        start: splitAt,
        reason: body.secondReasonKey,
        reasonSource: 'coordinator',
        classifier: secondBy ?? null,
      };
      const result = [toStop(ref.line, first, now), toStop(ref.line, second, now)];
      await this.audit.record(tx, {
        action: 'stop.split',
        entity: 'stop',
        entityId: stopId({ ...ref, start: part.start }),
        before: { reason: part.reason, reasonSource: part.reasonSource, end: part.ongoing ? null : end },
        after: { at: new Date(splitAt).toISOString(), first: body.firstReasonKey, second: body.secondReasonKey },
      });
      return result;
    });
    await this.live.reclassified(ref.line);
    return stops;
  }

  /** The stop an id names, when its line and station exist (checked before any transaction takes the connection). */
  private async resolve(id: string): Promise<StopRef> {
    const ref = parseStopId(id);
    if (!ref) throw badRequest('STOP_ID_INVALID', 'a stop id looks like "line.station.startEpochMs"');
    const line = await this.lines.get(ref.line).catch(() => null);
    if (!line?.stations.some((s) => s.key === ref.station)) {
      throw notFound('STOP_NOT_FOUND', `no stop "${stopId(ref)}"`);
    }
    return ref;
  }

  /** The stop part that begins exactly at the id's start, or 404. */
  private async findPart(tx: EntityManager, ref: StopRef, now: number): Promise<StopPart> {
    const parts = await this.parts(tx, ref.line, [ref.station], ref.start, ref.start + 1, now);
    const part = parts.find((p) => p.start === ref.start);
    if (!part) throw notFound('STOP_NOT_FOUND', `no stop "${stopId(ref)}"`);
    return part;
  }

  /** Saves classifications; answers who gave them and when (as stored), in the order of `rows`. */
  private async upsert(tx: EntityManager, ref: StopRef, rows: StopClassification[]): Promise<Classifier[]> {
    const by = currentRequestContext()?.principal?.name ?? 'system';
    const saved = (await tx.query(
      `INSERT INTO stop_classifications (line_key, station_key, start_ts, reason_key, split, classified_by)
       SELECT $1, station, to_timestamp(start_ms / 1000.0), reason_key, split, $6
         FROM unnest($2::text[], $3::bigint[], $4::text[], $5::boolean[]) AS t(station, start_ms, reason_key, split)
       ON CONFLICT (line_key, station_key, start_ts) DO UPDATE
         SET reason_key = EXCLUDED.reason_key, split = EXCLUDED.split, classified_by = EXCLUDED.classified_by,
             classified_at = now()
       RETURNING ${EPOCH_MS('start_ts')} AS start, classified_by AS "classifiedBy",
                 ${EPOCH_MS('classified_at')} AS "classifiedAt"`,
      [
        ref.line,
        rows.map((r) => r.station),
        rows.map((r) => r.start),
        rows.map((r) => r.reasonKey),
        rows.map((r) => r.split),
        by,
      ],
    )) as { start: string; classifiedBy: string; classifiedAt: string }[];
    const byStart = new Map(saved.map((r) => [Number(r.start), r]));
    return rows.map((r) => {
      const row = byStart.get(r.start)!;
      return { classifiedBy: row.classifiedBy, classifiedAt: Number(row.classifiedAt) };
    });
  }

  /**
   * The classified stop parts of some stations of a line that overlap `[from, to)`, with their full extent
   * (a stop crossing an edge keeps its real start and end), sorted by start.
   */
  private async parts(
    tx: EntityManager,
    line: string,
    stations: string[],
    from: number,
    to: number,
    now: number,
  ): Promise<StopPart[]> {
    const intervals = await this.stationIntervals(tx, line, stations, from, to);
    const stops = intervals.filter((i) => isStopState(i.state));
    if (stops.length === 0) return [];
    const ends = await this.realEnds(
      tx,
      line,
      stops.filter((s) => s.end === to),
    );
    const extended = stops.map((s) => {
      const end = ends.get(`${s.station}@${s.start}`);
      return end === undefined ? s : { ...s, end: end ?? OPEN };
    });
    const earliest = Math.min(...extended.map((s) => s.start));
    const latest = Math.max(now, to, ...extended.map((s) => (s.end === OPEN ? 0 : s.end)));
    const rows = (await tx.query(
      `SELECT station_key AS station, ${EPOCH_MS('start_ts')} AS start, reason_key AS "reasonKey", split,
              classified_by AS "classifiedBy", ${EPOCH_MS('classified_at')} AS "classifiedAt"
         FROM stop_classifications
        WHERE line_key = $1 AND station_key = ANY($2::text[]) AND start_ts >= ${at(3)} AND start_ts <= ${at(4)}`,
      [line, stations, earliest, latest],
    )) as (Omit<StopClassification, 'start'> & { start: string; classifiedBy: string; classifiedAt: string })[];
    const classifications = rows.map((c) => ({ ...c, start: Number(c.start) }));
    // A coordinator's reason is the classification stored at the part's start: who gave it is found the same way.
    const classifiers = new Map(
      classifications.map((c) => [
        `${c.station}@${c.start}`,
        { classifiedBy: c.classifiedBy, classifiedAt: Number(c.classifiedAt) },
      ]),
    );
    const match = reasonMatcher(await this.reasons.list(tx));
    return classifyStops(extended, classifications, match)
      .map((p) => ({
        ...p,
        ongoing: p.end === OPEN,
        classifier: p.reasonSource === 'coordinator' ? (classifiers.get(`${p.station}@${p.start}`) ?? null) : null,
      }))
      .sort((a, b) => a.start - b.start || a.station.localeCompare(b.station));
  }

  /**
   * Per station: its intervals over `[from, to)` from the persisted `state_intervals` (touching rows of the same
   * state merged, a later non-null reason winning, as for the KPIs), uncut at `from`: the first one starts where
   * that state really began. Reasons are those of the rows in force from `from` on, as when these were built
   * from the state events.
   */
  private async stationIntervals(
    tx: EntityManager,
    line: string,
    stations: string[],
    from: number,
    to: number,
  ): Promise<StateInterval[]> {
    // Rows in force at `from` or starting inside the window (one ending exactly at `from` carries the state in
    // force up to it, like the last event before the window).
    const rows = (await tx.query(
      `SELECT station_key AS station, state, reason, ${EPOCH_MS('start_ts')} AS start_ms, ${EPOCH_MS('end_ts')} AS end_ms
         FROM state_intervals
        WHERE line_key = $1 AND station_key = ANY($2::text[]) AND start_ts < ${at(4)}
          AND (end_ts IS NULL OR end_ts >= ${at(3)})
        ORDER BY station_key, start_ts`,
      [line, stations, from, to],
    )) as { station: string; state: StationState; reason: string | null; start_ms: string; end_ms: string | null }[];
    const merged: StateInterval[] = [];
    for (const r of rows) {
      const start = Number(r.start_ms);
      // Cut at `to`; an open row runs to `to` as well (realEnds tells whether it is still going on).
      const end = r.end_ms === null ? to : Math.min(Number(r.end_ms), to);
      const last = merged[merged.length - 1];
      if (last && last.station === r.station && last.state === r.state && last.end === start) {
        last.end = end;
        last.reason = r.reason ?? last.reason;
      } else {
        merged.push({ station: r.station, state: r.state, reason: r.reason, start, end });
      }
    }
    // Each station's first interval began at the end of its last row of another state (rows touch), or with its
    // first row.
    const firsts = merged.filter((m, i) => i === 0 || merged[i - 1]!.station !== m.station);
    if (firsts.length > 0) {
      const began = (await tx.query(
        `SELECT f.station, f.start_ms, COALESCE(
                  (SELECT ${EPOCH_MS('max(d.end_ts)')} FROM state_intervals d
                    WHERE d.line_key = $1 AND d.station_key = f.station AND d.start_ts < ${MS_OF('f.start_ms')}
                      AND d.state <> f.state),
                  (SELECT ${EPOCH_MS('min(d.start_ts)')} FROM state_intervals d
                    WHERE d.line_key = $1 AND d.station_key = f.station)) AS began_ms
           FROM unnest($2::text[], $3::bigint[], $4::text[]) AS f(station, start_ms, state)`,
        [line, firsts.map((f) => f.station), firsts.map((f) => f.start), firsts.map((f) => f.state)],
      )) as { station: string; start_ms: string; began_ms: string | null }[];
      const beganAt = new Map(began.map((b) => [`${b.station}@${Number(b.start_ms)}`, b.began_ms]));
      for (const f of firsts) {
        const at = beganAt.get(`${f.station}@${f.start}`);
        if (at !== null && at !== undefined) f.start = Math.min(f.start, Number(at));
      }
    }
    return merged;
  }

  /**
   * For stops that reach `to`: when they really ended (the start of the station's next row of another state),
   * or null while they are still going on. Keyed by `station@start`.
   */
  private async realEnds(tx: EntityManager, line: string, open: StateInterval[]): Promise<Map<string, number | null>> {
    const ends = new Map<string, number | null>();
    if (open.length === 0) return ends;
    const rows = (await tx.query(
      `SELECT o.station, o.start_ms,
              (SELECT ${EPOCH_MS('min(d.start_ts)')} FROM state_intervals d
                WHERE d.line_key = $1 AND d.station_key = o.station
                  AND d.start_ts >= ${MS_OF('o.end_ms')} AND d.state <> o.state) AS end_ms
         FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) AS o(station, start_ms, end_ms, state)`,
      [line, open.map((o) => o.station), open.map((o) => o.start), open.map((o) => o.end), open.map((o) => o.state)],
    )) as { station: string; start_ms: string; end_ms: string | null }[];
    for (const r of rows) ends.set(`${r.station}@${Number(r.start_ms)}`, r.end_ms === null ? null : Number(r.end_ms));
    return ends;
  }
}

function toStop(line: string, part: StopPart, now: number): Stop {
  const end = part.ongoing ? null : part.end;
  return {
    id: stopId({ line, station: part.station, start: part.start }),
    station: part.station,
    state: part.state as StopState,
    start: new Date(part.start).toISOString(),
    end: end === null ? null : new Date(end).toISOString(),
    seconds: Math.max(0, ((end ?? now) - part.start) / 1000),
    reason: part.reason,
    reasonSource: part.reasonSource,
    stationReason: part.stationReason,
    classifiedBy: part.classifier?.classifiedBy ?? null,
    classifiedAt: part.classifier ? new Date(part.classifier.classifiedAt).toISOString() : null,
  };
}
