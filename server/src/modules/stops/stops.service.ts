import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  buildIntervals,
  classifyStops,
  isStopState,
  parseStopId,
  reasonMatcher,
  stopId,
  type ClassifiedInterval,
  type StateChange,
  type StateInterval,
  type StationState,
  type Stop,
  type StopClassification,
  type StopRef,
  type StopState,
} from '@floorboard/shared';
import { badRequest, notFound } from '../../common/error-codes.js';
import { AuditService } from '../audit/audit.service.js';
import { currentRequestContext } from '../audit/request-context.js';
import { LinesService } from '../lines/lines.service.js';
import { ReasonsService } from './reasons.service.js';
import { unprocessable } from './stops.errors.js';

const DAY_MS = 24 * 3600_000;
const MAX_WINDOW_MS = 31 * DAY_MS;
const MS = `to_timestamp($X::double precision / 1000)`;
const at = (param: number) => MS.replace('$X', `$${param}`);
const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;
/** The end of a stop that is still going on (split points after now cannot exist yet). */
const OPEN = Number.MAX_SAFE_INTEGER;

/** A classified stop part; an ongoing one ends at OPEN. */
interface StopPart extends ClassifiedInterval {
  ongoing: boolean;
}

/**
 * Stops (`down` and `changeover` intervals) of a line's stations, with their reasons: the station's text when
 * it matches the catalogue, or a coordinator's classification (`stop_classifications`, split points included).
 * Stops are built from the `station_events` state events with shared `buildIntervals` on each request.
 */
@Injectable()
export class StopsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LinesService,
    private readonly reasons: ReasonsService,
    private readonly audit: AuditService,
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
    return this.dataSource.transaction(async (tx) => {
      await this.reasons.requireKeys(tx, [reasonKey]);
      const part = await this.findPart(tx, ref, now);
      const before = toStop(ref.line, part, now);
      if (part.reasonSource === 'coordinator' && part.reason === reasonKey) {
        this.audit.noChange();
        return before;
      }
      await this.upsert(tx, ref, [
        { station: ref.station, start: part.start, reasonKey, split: part.start !== part.stopStart },
      ]);
      const after: Stop = { ...before, reason: reasonKey, reasonSource: 'coordinator' };
      await this.audit.record(tx, {
        action: 'stop.classified',
        entity: 'stop',
        entityId: before.id,
        before: { reason: before.reason, reasonSource: before.reasonSource },
        after: { reason: reasonKey, reasonSource: 'coordinator' },
      });
      return after;
    });
  }

  async split(
    id: string,
    body: { at: string; firstReasonKey: string; secondReasonKey: string },
    now = Date.now(),
  ): Promise<Stop[]> {
    const ref = await this.resolve(id);
    const splitAt = Date.parse(body.at);
    return this.dataSource.transaction(async (tx) => {
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
      await this.upsert(tx, ref, [
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
      };
      const second: StopPart = { ...part, start: splitAt, reason: body.secondReasonKey, reasonSource: 'coordinator' };
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

  private async upsert(tx: EntityManager, ref: StopRef, rows: StopClassification[]): Promise<void> {
    const by = currentRequestContext()?.principal?.name ?? 'system';
    await tx.query(
      `INSERT INTO stop_classifications (line_key, station_key, start_ts, reason_key, split, classified_by)
       SELECT $1, station, to_timestamp(start_ms / 1000.0), reason_key, split, $6
         FROM unnest($2::text[], $3::bigint[], $4::text[], $5::boolean[]) AS t(station, start_ms, reason_key, split)
       ON CONFLICT (line_key, station_key, start_ts) DO UPDATE
         SET reason_key = EXCLUDED.reason_key, split = EXCLUDED.split, classified_by = EXCLUDED.classified_by,
             classified_at = now()`,
      [
        ref.line,
        rows.map((r) => r.station),
        rows.map((r) => r.start),
        rows.map((r) => r.reasonKey),
        rows.map((r) => r.split),
        by,
      ],
    );
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
    const classifications = (await tx.query(
      `SELECT station_key AS station, ${epochMs('start_ts')} AS start, reason_key AS "reasonKey", split
         FROM stop_classifications
        WHERE line_key = $1 AND station_key = ANY($2::text[]) AND start_ts >= ${at(3)} AND start_ts <= ${at(4)}`,
      [line, stations, earliest, latest],
    )) as (Omit<StopClassification, 'start'> & { start: string })[];
    const match = reasonMatcher(await this.reasons.list(tx));
    return classifyStops(
      extended,
      classifications.map((c) => ({ ...c, start: Number(c.start) })),
      match,
    )
      .map((p) => ({ ...p, ongoing: p.end === OPEN }))
      .sort((a, b) => a.start - b.start || a.station.localeCompare(b.station));
  }

  /** Per station: intervals over `[from, to)` from its state events, uncut at `from`. */
  private async stationIntervals(
    tx: EntityManager,
    line: string,
    stations: string[],
    from: number,
    to: number,
  ): Promise<StateInterval[]> {
    // The state in force at `from` and since when (the first event after the last different state).
    const initial = (await tx.query(
      `SELECT st.station, prev.state, prev.reason,
              ${epochMs(`(SELECT min(e.ts) FROM station_events e
                 WHERE e.line_key = $1 AND e.station_key = st.station AND e.type = 'state' AND e.ts < ${at(3)}
                   AND e.ts > COALESCE(other.ts, '-infinity'))`)} AS since
         FROM unnest($2::text[]) AS st(station)
         JOIN LATERAL (
           SELECT e.state, e.reason, e.ts FROM station_events e
            WHERE e.line_key = $1 AND e.station_key = st.station AND e.type = 'state' AND e.state IS NOT NULL
              AND e.ts < ${at(3)}
            ORDER BY e.ts DESC, e.id DESC LIMIT 1) prev ON true
         LEFT JOIN LATERAL (
           SELECT max(e.ts) AS ts FROM station_events e
            WHERE e.line_key = $1 AND e.station_key = st.station AND e.type = 'state' AND e.ts < prev.ts
              AND e.state <> prev.state) other ON true`,
      [line, stations, from],
    )) as { station: string; state: StationState; reason: string | null; since: string }[];
    const events = (await tx.query(
      `SELECT station_key AS station, state, reason, ${epochMs('ts')} AS ts, id FROM station_events
        WHERE line_key = $1 AND station_key = ANY($2::text[]) AND type = 'state' AND state IS NOT NULL
          AND ts >= ${at(3)} AND ts < ${at(4)}`,
      [line, stations, from, to],
    )) as { station: string; state: StationState; reason: string | null; ts: string; id: string }[];
    const byStation = new Map<string, StateChange[]>(stations.map((s) => [s, []]));
    for (const e of events) {
      byStation.get(e.station)?.push({ ts: Number(e.ts), seq: Number(e.id), state: e.state, reason: e.reason });
    }
    const initialOf = new Map(initial.map((i) => [i.station, i]));
    return stations.flatMap((station) => {
      const init = initialOf.get(station);
      return buildIntervals({
        station,
        from,
        to,
        events: byStation.get(station)!,
        initial: init ? { state: init.state, reason: init.reason, since: Number(init.since) } : null,
        clip: false,
      });
    });
  }

  /**
   * For stops that reach `to`: when they really ended (the next event of another state), or null while
   * they are still going on. Keyed by `station@start`.
   */
  private async realEnds(tx: EntityManager, line: string, open: StateInterval[]): Promise<Map<string, number | null>> {
    const ends = new Map<string, number | null>();
    if (open.length === 0) return ends;
    const rows = (await tx.query(
      `SELECT o.station, o.start_ms,
              (SELECT ${epochMs('min(e.ts)')} FROM station_events e
                WHERE e.line_key = $1 AND e.station_key = o.station AND e.type = 'state' AND e.state IS NOT NULL
                  AND e.ts >= to_timestamp(o.end_ms / 1000.0) AND e.state <> o.state) AS end_ms
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
  };
}
