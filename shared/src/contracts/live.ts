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

/**
 * Live line view (DESIGN.md §4.4). `throughput`, `oee` and `bottleneck` are filled by the
 * line-intelligence work; until then they are null rather than invented numbers.
 */
export interface LineLive {
  line: string;
  name: string;
  rev: number;
  ts: number;
  stations: StationLive[];
  throughput: { unitsPerHour: number | null; targetPerHour: number } | null;
  oee: { availability: number | null; performance: number | null; quality: number | null; oee: number | null } | null;
  bottleneck: { station: string; kind: 'momentary' } | null;
}
