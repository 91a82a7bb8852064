import type { StationState } from './station-state.js';

/** OEE figures (ISO 22400-2, DESIGN.md §5); null where a denominator is 0. */
export interface OeeFigures {
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
}

/** Longest window `GET /lines/{lineKey}/kpis` and `/timeline` accept. */
export const KPI_MAX_WINDOW_DAYS = 31;

/**
 * `GET /lines/{lineKey}/kpis` (DESIGN.md §4.4). The window is `?from&to`, `?shift&date` (a shift instance of a
 * production day) or `?date` (the production day in the plant timezone, 23 or 25 hours on DST change days).
 * Figures cover `[from, analysedTo)`: `analysedTo` is `to`, or the server's clock while the window is still running.
 */
export interface LineKpis {
  line: string;
  /** ISO 8601 (UTC). */
  from: string;
  to: string;
  analysedTo: string;
  /** Length of the window in hours (a DST production day: 23 or 25). */
  hours: number;
  /** Set when the window was asked for as a shift or a production day. */
  shift: string | null;
  date: string | null;
  /** The output (last) station; the line's OEE and throughput are its figures. */
  outputStation: string;
  oee: OeeFigures;
  throughput: { unitsPerHour: number | null; targetPerHour: number | null; good: number; scrap: number };
  /** Sole and shifting shares as fractions of the window, every station in flow order. */
  bottleneck: { station: string | null; shares: { station: string; sole: number; shifting: number }[] };
  /** Down time of all stations by reason (null: unclassified), largest first. */
  downtime: { reason: string | null; seconds: number; count: number }[];
  /** Seconds per state per station; time no data covers counts as `offline`. */
  stateSeconds: Record<string, Record<StationState, number>>;
  /** Over all stations of the line, per failure (micro-stops are not failures); null without failures. */
  mtbfSeconds: number | null;
  mttrSeconds: number | null;
}

/** One merged state interval of the timeline, cut at the window; epoch ms. */
export interface TimelineInterval {
  state: StationState;
  reason: string | null;
  start: number;
  end: number;
  /**
   * With `?resolutionMs`: how many stored intervals this one stands for (a group of intervals shorter than the
   * resolution drawn in its dominant state); absent means 1.
   */
  merged?: number;
}

/**
 * `GET /lines/{lineKey}/timeline`: each station's state intervals in flow order, covering the analysed window.
 * `?resolutionMs` (at least 1000) merges intervals shorter than that into groups in their dominant state
 * (`downsampleIntervals`), so a week for a chart 2000 px wide is a few thousand intervals, not a quarter million.
 */
export interface LineTimeline {
  line: string;
  from: string;
  to: string;
  analysedTo: string;
  stations: { station: string; intervals: TimelineInterval[] }[];
}

/** Bucket lengths `GET /lines/{lineKey}/throughput` accepts, in minutes, and the most buckets one answer holds. */
export const THROUGHPUT_BUCKET_MINUTES = { min: 1, max: 1440 } as const;
export const THROUGHPUT_MAX_BUCKETS = 2000;

/** One bucket of the throughput trend: the output station's counts of the minutes starting in `[start, end)`. */
export interface ThroughputBucket {
  /** Epoch ms; the last bucket ends at `analysedTo` while the window is still running. */
  start: number;
  end: number;
  good: number;
  scrap: number;
  /** good × 3600 / bucket seconds. */
  unitsPerHour: number;
}

/**
 * `GET /lines/{lineKey}/throughput`: the output station's good and scrap per bucket over the same windows as
 * `/kpis` (`?from&to`, `?shift&date`, `?date`), with `?bucketMinutes` (default: the shortest of 5, 15, 30, 60,
 * 120, 240, 720, 1440 that gives at most 200 buckets). Buckets start at `from` and cover `[from, analysedTo)`.
 */
export interface LineThroughputTrend {
  line: string;
  from: string;
  to: string;
  analysedTo: string;
  shift: string | null;
  date: string | null;
  outputStation: string;
  bucketMinutes: number;
  /** 3600 / the line's ideal cycle time; null when that is not positive. */
  targetPerHour: number | null;
  buckets: ThroughputBucket[];
}
