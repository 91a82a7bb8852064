import { HttpStatus, Injectable } from '@nestjs/common';
import {
  defaultBucketMinutes,
  downsampleIntervals,
  KPI_MAX_WINDOW_DAYS,
  productionDayOf,
  reasonMatcher,
  shiftOn,
  THROUGHPUT_BUCKET_MINUTES,
  THROUGHPUT_MAX_BUCKETS,
  throughputBuckets,
  type LineKpis,
  type LineThroughputTrend,
  type LineTimeline,
  type StopClassification,
} from '@floorboard/shared';
import { DataSource } from 'typeorm';
import { AppException, badRequest, notFound } from '../../common/error-codes.js';
import { HistoryService } from '../history/history.service.js';
import { LinesService } from '../lines/lines.service.js';
import { ReasonsService } from '../stops/reasons.service.js';
import { computeLineKpis } from './compute-line-kpis.js';
import type { KpiQueryDto, ThroughputQueryDto, TimelineQueryDto } from './dto/kpi-query.dto.js';

interface Window {
  from: number;
  to: number;
  shift: string | null;
  date: string | null;
}

const DAY_MS = 86_400_000;
/** Finer than a second is no chart's pixel; it would only cost time. */
const TIMELINE_MIN_RESOLUTION_MS = 1000;

function isRealDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** KPIs and timelines of a line over a window, read from the persisted history (no event rescans). */
@Injectable()
export class KpisService {
  constructor(
    private readonly lines: LinesService,
    private readonly history: HistoryService,
    private readonly reasons: ReasonsService,
    private readonly dataSource: DataSource,
  ) {}

  async kpis(lineKey: string, query: KpiQueryDto, now = Date.now()): Promise<LineKpis> {
    const line = await this.lines.get(lineKey);
    const calendar = await this.lines.calendarSettings();
    const window = this.resolveWindow(query, calendar);
    const analysedTo = Math.max(window.from, Math.min(window.to, now));
    const margin = calendar.microStopSeconds * 1000;
    const [intervals, counts] = await Promise.all([
      // Reaching beyond the window by the micro-stop threshold is enough to tell a cut stop's kind.
      this.history.intervals(lineKey, window.from - margin, analysedTo + margin, now),
      this.history.counts(lineKey, window.from, analysedTo),
    ]);
    // A loop, not Math.min(...starts): a week of intervals is too many arguments for a spread.
    const earliest = intervals.reduce((min, i) => Math.min(min, i.start), Infinity);
    const [classifications, catalogue] = await Promise.all([
      intervals.length > 0 ? this.classifications(lineKey, earliest, analysedTo) : [],
      this.reasons.list(),
    ]);
    const figures = computeLineKpis({
      line,
      intervals,
      counts,
      from: window.from,
      to: analysedTo,
      microStopSeconds: calendar.microStopSeconds,
      classifications,
      matchStationReason: reasonMatcher(catalogue),
    });
    return {
      line: lineKey,
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      analysedTo: new Date(analysedTo).toISOString(),
      hours: (window.to - window.from) / 3_600_000,
      shift: window.shift,
      date: window.date,
      ...figures,
    };
  }

  /** Coordinators' classifications of stops that start in `[from, to]` (split points included). */
  private async classifications(lineKey: string, from: number, to: number): Promise<StopClassification[]> {
    const rows = (await this.dataSource.query(
      `SELECT station_key AS station, (extract(epoch FROM start_ts) * 1000)::bigint AS start, reason_key AS "reasonKey", split
         FROM stop_classifications
        WHERE line_key = $1 AND start_ts >= to_timestamp($2::double precision / 1000)
          AND start_ts <= to_timestamp($3::double precision / 1000)`,
      [lineKey, from, to],
    )) as { station: string; start: string; reasonKey: string; split: boolean }[];
    return rows.map((r) => ({ ...r, start: Number(r.start) }));
  }

  async timeline(lineKey: string, query: TimelineQueryDto, now = Date.now()): Promise<LineTimeline> {
    const line = await this.lines.get(lineKey);
    const { resolutionMs: askedResolution, ...windowQuery } = query;
    const window = this.resolveWindow(windowQuery, await this.lines.calendarSettings());
    const resolutionMs = askedResolution === undefined ? null : Number(askedResolution);
    if (resolutionMs !== null && resolutionMs < TIMELINE_MIN_RESOLUTION_MS) {
      throw badRequest('TIMELINE_RESOLUTION_INVALID', `resolutionMs must be at least ${TIMELINE_MIN_RESOLUTION_MS}`);
    }
    const analysedTo = Math.max(window.from, Math.min(window.to, now));
    const intervals = await this.history.intervals(lineKey, window.from, analysedTo, now);
    const timeline: LineTimeline = {
      line: lineKey,
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      analysedTo: new Date(analysedTo).toISOString(),
      stations: line.stations.map((s) => ({
        station: s.key,
        intervals: intervals
          .filter((i) => i.station === s.key)
          .map((i) => ({
            state: i.state,
            reason: i.reason,
            start: Math.max(i.start, window.from),
            end: Math.min(i.end, analysedTo),
          }))
          .filter((i) => i.end > i.start),
      })),
    };
    if (resolutionMs === null) return timeline;
    return {
      ...timeline,
      stations: timeline.stations.map((s) => ({
        station: s.station,
        intervals: downsampleIntervals(s.intervals, resolutionMs),
      })),
    };
  }

  /** The output station's good and scrap per bucket over a window, with the line's target rate. */
  async throughput(lineKey: string, query: ThroughputQueryDto, now = Date.now()): Promise<LineThroughputTrend> {
    const line = await this.lines.get(lineKey);
    const { bucketMinutes: asked, ...windowQuery } = query;
    const window = this.resolveWindow(windowQuery, await this.lines.calendarSettings());
    const analysedTo = Math.max(window.from, Math.min(window.to, now));
    const bucketMinutes = asked === undefined ? defaultBucketMinutes(window.to - window.from) : Number(asked);
    const { min, max } = THROUGHPUT_BUCKET_MINUTES;
    if (!Number.isInteger(bucketMinutes) || bucketMinutes < min || bucketMinutes > max) {
      throw badRequest('THROUGHPUT_BUCKET_INVALID', `bucketMinutes must be between ${min} and ${max}`);
    }
    if (Math.ceil((window.to - window.from) / (bucketMinutes * 60_000)) > THROUGHPUT_MAX_BUCKETS) {
      throw badRequest(
        'THROUGHPUT_TOO_MANY_BUCKETS',
        `the window holds more than ${THROUGHPUT_MAX_BUCKETS} buckets of ${bucketMinutes} min; choose longer buckets`,
      );
    }
    const output = line.stations[line.stations.length - 1];
    const minutes = output ? await this.history.minuteCounts(lineKey, output.key, window.from, analysedTo) : [];
    return {
      line: lineKey,
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      analysedTo: new Date(analysedTo).toISOString(),
      shift: window.shift,
      date: window.date,
      outputStation: output?.key ?? '',
      bucketMinutes,
      targetPerHour: line.idealCycleTimeSec > 0 ? 3600 / line.idealCycleTimeSec : null,
      buckets: throughputBuckets({ from: window.from, to: analysedTo, bucketMinutes, minutes }),
    };
  }

  private resolveWindow(query: KpiQueryDto, calendar: Awaited<ReturnType<LinesService['calendarSettings']>>): Window {
    const { from, to, shift, date } = query;
    let window: Window;
    if (from !== undefined || to !== undefined) {
      if (from === undefined || to === undefined || shift !== undefined || date !== undefined) {
        throw badRequest('KPI_WINDOW_INVALID', 'give from and to, or date (with shift), not a mix');
      }
      window = { from: Date.parse(from), to: Date.parse(to), shift: null, date: null };
    } else if (date !== undefined) {
      if (!isRealDate(date)) throw badRequest('KPI_DATE_INVALID', `"${date}" is not a calendar date`);
      if (shift !== undefined) {
        const instance = shiftOn(shift, date, calendar);
        if (!instance) throw notFound('SHIFT_NOT_FOUND', `no shift "${shift}" in the plant calendar`);
        window = { from: instance.start, to: instance.end, shift, date };
      } else {
        const day = productionDayOf(date, calendar.productionDayStart, calendar.timezone);
        window = { from: day.start, to: day.end, shift: null, date };
      }
    } else {
      throw badRequest('KPI_WINDOW_INVALID', shift ? 'shift needs date' : 'give from and to, or date (with shift)');
    }
    if (!Number.isFinite(window.from) || !Number.isFinite(window.to)) {
      throw badRequest('KPI_DATE_INVALID', 'from or to is not a valid instant');
    }
    if (window.from >= window.to) throw badRequest('KPI_WINDOW_EMPTY', 'from must be before to');
    if (window.to - window.from > KPI_MAX_WINDOW_DAYS * DAY_MS) {
      throw new AppException(
        'KPI_WINDOW_TOO_LONG',
        `the window may span at most ${KPI_MAX_WINDOW_DAYS} days`,
        HttpStatus.BAD_REQUEST,
      );
    }
    return window;
  }
}
