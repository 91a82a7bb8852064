import { STATION_STATES, type StationState } from '../contracts/station-state.js';
import type { LineKpis } from '../contracts/kpis.js';
import type { LineSummary } from '../contracts/live.js';
import { leadingStation } from './bottleneck.js';
import type { StateInterval } from './intervals.js';
import { kpiPartials, STATION_FIELD, STATION_PARTIAL_LENGTH, type KpiPartial } from './kpi-partials.js';
import { computeOee } from './oee.js';
import { rankDowntime } from './pareto.js';
import { computeReliability } from './reliability.js';
import type { ReasonBuckets, StopClassification } from './stops.js';
import { throughputOver } from './throughput.js';

/** The window-independent part of the `/kpis` answer. */
export type LineKpiFigures = Pick<
  LineKpis,
  'outputStation' | 'oee' | 'throughput' | 'bottleneck' | 'downtime' | 'stateSeconds' | 'mtbfSeconds' | 'mttrSeconds'
>;

export interface LineKpiWindow {
  line: LineSummary;
  /** Counts per station over the window. */
  counts: ReadonlyMap<string, { good: number; scrap: number }>;
  from: number;
  to: number;
  /** Maps a station's own stop text onto the reason catalogue (null: unclassified). */
  matchStationReason: (text: string | null) => string | null;
}

export interface LineKpiInput extends LineKpiWindow {
  /** Merged intervals of the line's stations, possibly reaching beyond the window (stops keep their real length). */
  intervals: readonly StateInterval[];
  microStopSeconds: number;
  /** Coordinators' classifications and split points of stops in and around the window. */
  classifications: readonly StopClassification[];
  /** The reason catalogue's OEE buckets (what a stop's reason costs); without it every stop is an availability loss. */
  reasons?: ReasonBuckets;
}

/**
 * A line's KPIs over `[from, to)`: per station the ISO 22400 time model; the line's OEE and throughput are the
 * output (last) station's, against its ideal cycle time (OEE) and the line's (throughput target); bottleneck
 * shares by the active period method; downtime Pareto and MTBF/MTTR over all stations.
 */
export function computeLineKpis(input: LineKpiInput): LineKpiFigures {
  const partials = kpiPartials({
    intervals: input.intervals,
    stations: input.line.stations.map((s) => s.key),
    window: { from: input.from, to: input.to },
    buckets: [[input.from, input.to]],
    microStopSeconds: input.microStopSeconds,
    classifications: input.classifications,
    reasons: input.reasons,
  });
  return combineKpiPartials(partials, input);
}

/**
 * The KPIs of a window from parts that tile it exactly (each computed as the analysis of this window sees its
 * bucket): the same figures, to the bit, as `computeLineKpis` over the whole window.
 */
export function combineKpiPartials(partials: readonly KpiPartial[], window: LineKpiWindow): LineKpiFigures {
  const { line, from, to } = window;
  const keys = line.stations.map((s) => s.key);
  const windowMs = Math.max(0, to - from);
  const s = (ms: number) => ms / 1000;

  const stateSeconds: Record<string, Record<StationState, number>> = {};
  const bottleneckMs = new Map<string, { sole: number; shifting: number }>();
  let operatingSeconds = 0;
  const failures = { count: 0, seconds: 0 };
  const models = new Map<string, { plannedBusySeconds: number; operatingSeconds: number }>();
  const f = STATION_FIELD;
  keys.forEach((key, p) => {
    const sum = new Array<number>(STATION_PARTIAL_LENGTH).fill(0);
    for (const partial of partials) {
      const part = partial.stations[p]!;
      for (let i = 0; i < STATION_PARTIAL_LENGTH; i++) sum[i]! += part[i]!;
    }
    const stateMs = Object.fromEntries(STATION_STATES.map((state, i) => [state, sum[i]!])) as Record<
      StationState,
      number
    >;
    stateSeconds[key] = Object.fromEntries(STATION_STATES.map((state) => [state, s(stateMs[state])])) as Record<
      StationState,
      number
    >;
    // Planned downtime: the states, and stops whose reason is planned (`excluded`); speed losses: micro-stops
    // and stops whose reason is a `performance` one.
    const excludedMs = stateMs.break + stateMs.maintenance + stateMs.offline + sum[f.plannedStopMs]!;
    const model = {
      plannedBusySeconds: s(windowMs - excludedMs),
      operatingSeconds: s(stateMs.running + sum[f.microStopMs]! + sum[f.performanceStopMs]!),
    };
    models.set(key, model);
    operatingSeconds += model.operatingSeconds;
    failures.count += sum[f.failures]!;
    failures.seconds += s(sum[f.failureMs]!);
    bottleneckMs.set(key, { sole: sum[f.soleMs]!, shifting: sum[f.shiftingMs]! });
  });

  const output = line.stations[line.stations.length - 1]!;
  const outputCounts = window.counts.get(output.key) ?? { good: 0, scrap: 0 };
  const outputModel = models.get(output.key)!;
  const oee = computeOee({
    plannedBusySeconds: outputModel.plannedBusySeconds,
    operatingSeconds: outputModel.operatingSeconds,
    idealCycleSeconds: output.idealCycleTimeSec,
    good: outputCounts.good,
    scrap: outputCounts.scrap,
  });
  const shares = keys.map((station) => ({
    station,
    sole: windowMs > 0 ? bottleneckMs.get(station)!.sole / windowMs : 0,
    shifting: windowMs > 0 ? bottleneckMs.get(station)!.shifting / windowMs : 0,
  }));
  const reliability = computeReliability({ operatingSeconds, failures });
  return {
    outputStation: output.key,
    oee: { availability: oee.availability, performance: oee.performance, quality: oee.quality, oee: oee.oee },
    throughput: throughputOver({ ...outputCounts, from, to, idealCycleSeconds: line.idealCycleTimeSec }),
    bottleneck: { station: leadingStation(shares), shares },
    downtime: rankDowntime(downtimeByReason(partials, window.matchStationReason)),
    stateSeconds,
    mtbfSeconds: reliability.mtbfSeconds,
    mttrSeconds: reliability.mttrSeconds,
  };
}

function downtimeByReason(
  partials: readonly KpiPartial[],
  match: (text: string | null) => string | null,
): Map<string | null, { ms: number; count: number }> {
  const byReason = new Map<string | null, { ms: number; count: number }>();
  const matched = new Map<string | null, string | null>();
  for (const partial of partials) {
    for (const part of partial.downtime) {
      let reason = part.reasonKey;
      if (reason === null) {
        if (!matched.has(part.stationReason)) matched.set(part.stationReason, match(part.stationReason));
        reason = matched.get(part.stationReason)!;
      }
      const entry = byReason.get(reason) ?? { ms: 0, count: 0 };
      entry.ms += part.ms;
      entry.count += part.count;
      byReason.set(reason, entry);
    }
  }
  return byReason;
}
