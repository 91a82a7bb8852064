import {
  activePeriods,
  analyseBottleneck,
  computeOee,
  computeReliability,
  computeTimeModel,
  classifyStops,
  downtimePareto,
  throughputOver,
  type LineKpis,
  type LineSummary,
  type StateInterval,
  type StopClassification,
  type StationState,
} from '@floorboard/shared';

/** The window-independent part of the `/kpis` answer (the contract type lives in shared). */
export type LineKpiFigures = Pick<
  LineKpis,
  'outputStation' | 'oee' | 'throughput' | 'bottleneck' | 'downtime' | 'stateSeconds' | 'mtbfSeconds' | 'mttrSeconds'
>;

export interface LineKpiInput {
  line: LineSummary;
  /** Merged intervals of the line's stations, possibly reaching beyond the window (stops keep their real length). */
  intervals: readonly StateInterval[];
  /** Counts per station over the window. */
  counts: ReadonlyMap<string, { good: number; scrap: number }>;
  from: number;
  to: number;
  microStopSeconds: number;
  /** Coordinators' classifications and split points of stops in and around the window. */
  classifications: readonly StopClassification[];
  /** Maps a station's own stop text onto the reason catalogue (null: unclassified). */
  matchStationReason: (text: string | null) => string | null;
}

/**
 * A line's KPIs over `[from, to)` from the shared domain rules: per station the ISO 22400 time model; the line's
 * OEE and throughput are the output (last) station's, against its ideal cycle time (OEE) and the line's
 * (throughput target); bottleneck shares by the active period method; downtime Pareto and MTBF/MTTR over all
 * stations (total operating time and failures of the line's stations).
 */
export function computeLineKpis(input: LineKpiInput): LineKpiFigures {
  const { line, from, to, microStopSeconds } = input;
  const keys = line.stations.map((s) => s.key);
  const placed = new Set(keys);
  const intervals = input.intervals.filter((i) => placed.has(i.station));
  const byStation = new Map<string, StateInterval[]>(keys.map((k) => [k, []]));
  for (const interval of intervals) byStation.get(interval.station)!.push(interval);

  const stateSeconds: Record<string, Record<StationState, number>> = {};
  let operatingSeconds = 0;
  const failures = { count: 0, seconds: 0 };
  const models = new Map<string, ReturnType<typeof computeTimeModel>>();
  for (const key of keys) {
    const model = computeTimeModel(byStation.get(key)!, { from, to, microStopSeconds });
    models.set(key, model);
    stateSeconds[key] = model.stateSeconds;
    operatingSeconds += model.operatingSeconds;
    failures.count += model.failures.count;
    failures.seconds += model.failures.seconds;
  }

  const output = line.stations[line.stations.length - 1]!;
  const outputCounts = input.counts.get(output.key) ?? { good: 0, scrap: 0 };
  const outputModel = models.get(output.key)!;
  const oee = computeOee({
    plannedBusySeconds: outputModel.plannedBusySeconds,
    operatingSeconds: outputModel.operatingSeconds,
    idealCycleSeconds: output.idealCycleTimeSec,
    good: outputCounts.good,
    scrap: outputCounts.scrap,
  });
  const throughput = throughputOver({ ...outputCounts, from, to, idealCycleSeconds: line.idealCycleTimeSec });
  const bottleneck = analyseBottleneck(activePeriods(intervals), { from, to, stations: keys });
  const reliability = computeReliability({ operatingSeconds, failures });
  return {
    outputStation: output.key,
    oee: { availability: oee.availability, performance: oee.performance, quality: oee.quality, oee: oee.oee },
    throughput,
    bottleneck: { station: bottleneck.station, shares: bottleneck.shares },
    // The Pareto follows the classification (catalogue keys, split parts); the time model keeps whole stops.
    // Only `down` intervals reach the Pareto, and classifyStops treats each interval on its own: classifying just
    // those gives the same Pareto without copying every running interval of a week.
    downtime: downtimePareto(
      classifyStops(
        intervals.filter((i) => i.state === 'down'),
        input.classifications,
        input.matchStationReason,
      ),
      { from, to },
    ),
    stateSeconds,
    mtbfSeconds: reliability.mtbfSeconds,
    mttrSeconds: reliability.mttrSeconds,
  };
}
