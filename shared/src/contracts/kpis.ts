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
}

/** `GET /lines/{lineKey}/timeline`: each station's state intervals in flow order, covering the analysed window. */
export interface LineTimeline {
  line: string;
  from: string;
  to: string;
  analysedTo: string;
  stations: { station: string; intervals: TimelineInterval[] }[];
}
