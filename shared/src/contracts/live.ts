import type { StationState } from './station-state.js';

/** One station's live status as served by `GET /lines/{lineKey}/live` and `line:snapshot`. */
export interface StationLive {
  key: string;
  name: string;
  state: StationState;
  /** Epoch ms since the station has been in `state`. */
  since: number;
  reason: string | null;
  good: number;
  scrap: number;
}

export interface LineSummary {
  key: string;
  name: string;
  site: string;
  idealCycleTimeSec: number;
  stations: { key: string; name: string; idealCycleTimeSec: number; position: number }[];
}

/** What the live metrics cover: the shift in progress, else the production day up to the next shift. */
export interface LivePeriod {
  kind: 'shift' | 'day';
  /** The shift's name; null for a day period. */
  name: string | null;
  /** Epoch ms. */
  start: number;
  end: number;
}

/** Good units per hour at the output station, against 3600 / the line's ideal cycle time. */
export interface LiveThroughput {
  /** Rolling 15 minutes. */
  unitsPerHour: number | null;
  targetPerHour: number;
  /** Since the period start. */
  periodUnitsPerHour: number | null;
  /** Output station counts since the period start. */
  good: number;
  scrap: number;
}

/** The live bottleneck: the momentary one now, and the period's sole/shifting leader. */
export interface LiveBottleneck {
  /** Momentary bottleneck (longest ongoing active period; the first in flow order when tied); null: none active. */
  station: string | null;
  kind: 'momentary';
  /** All stations tied for the longest ongoing active period. */
  tied: string[];
  /** Start of that active period, epoch ms. */
  activeSince: number | null;
  /** The period so far by the active period method: the station with the largest sole (then shifting) share. */
  period: { station: string | null; shares: { station: string; sole: number; shifting: number }[] };
}

/** OEE of the output station over the period so far. */
export interface LiveOee {
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
}

/** The live metrics of a line, as in `GET /lines/{lineKey}/live` and `line:metrics-updated`. */
export interface LineLiveMetrics {
  period: LivePeriod;
  throughput: LiveThroughput;
  oee: LiveOee;
  bottleneck: LiveBottleneck;
}

/**
 * Live line view (DESIGN.md §4.4). `throughput`, `oee` and `bottleneck` cover `period` (the current shift);
 * they are null only for a line the server has no metrics for.
 */
export interface LineLive {
  line: string;
  name: string;
  rev: number;
  ts: number;
  stations: StationLive[];
  period: LivePeriod | null;
  throughput: LiveThroughput | null;
  oee: LiveOee | null;
  bottleneck: LiveBottleneck | null;
}
