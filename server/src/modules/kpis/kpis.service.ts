import { HttpStatus, Injectable } from '@nestjs/common';
import {
  combineKpiPartials,
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
} from '@floorboard/shared';
import { AppException, badRequest, notFound } from '../../common/error-codes.js';
import { HistoryService } from '../history/history.service.js';
import { LinesService } from '../lines/lines.service.js';
import { ReasonsService } from '../stops/reasons.service.js';
import { KpiPartialsService } from './kpi-partials.service.js';
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

/**
 * KPIs and timelines of a line over a window, read from the persisted history (no event rescans) and, for KPIs,
 * the stored 15-minute rollups.
 */
@Injectable()
export class KpisService {
  constructor(
    private readonly lines: LinesService,
    private readonly history: HistoryService,
    private readonly reasons: ReasonsService,
    private readonly partials: KpiPartialsService,
  ) {}

  async kpis(lineKey: string, query: KpiQueryDto, now = Date.now()): Promise<LineKpis> {
    const line = await this.lines.get(lineKey);
    const calendar = await this.lines.calendarSettings();
    const window = this.resolveWindow(query, calendar);
    const analysedTo = Math.max(window.from, Math.min(window.to, now));
    const settings = { microStopMs: calendar.microStopSeconds * 1000, stations: line.stations.map((s) => s.key) };
    // One read of the catalogue for the whole answer: the raw parts' reason buckets and the Pareto's matching.
    const catalogue = await this.reasons.list();
    const [partials, counts] = await Promise.all([
      this.partials.partials(lineKey, { from: window.from, to: analysedTo }, settings, now, catalogue),
      this.history.counts(lineKey, window.from, analysedTo),
    ]);
    const figures = combineKpiPartials(partials, {
      line,
      counts,
      from: window.from,
      to: analysedTo,
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
