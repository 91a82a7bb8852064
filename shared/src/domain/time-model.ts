import { STATION_STATES, type StationState } from '../contracts/station-state.js';
import type { StateInterval } from './intervals.js';

export interface TimeModelOptions {
  /** Window `[from, to)`, epoch ms. */
  from: number;
  to: number;
  /** Plant `microStopSeconds`: a down interval strictly shorter than this is a micro-stop. */
  microStopSeconds: number;
}

export interface StopTally {
  count: number;
  seconds: number;
}

/**
 * One station's ISO 22400-2 time model over a window, all durations in seconds.
 *
 *   PBT  plannedBusySeconds = window − break − maintenance − offline (and time no interval covers)
 *   APT  runningSeconds     = running
 *   OT   operatingSeconds   = APT + micro-stop seconds
 *        PBT = OT + failures + changeover + waiting (idle, starved, blocked)
 *
 * Micro-stop convention: a `down` interval whose full length (uncut by the window) is strictly shorter than
 * `microStopSeconds` is a micro-stop, a performance loss: its time counts as operating time OT, so it lowers
 * Performance = PRU × PQ / OT and not Availability = OT / PBT (oee.ts). Every other `down` is a failure,
 * an availability loss. OEE = A × P × Q = PRU × GQ / PBT either way. An ongoing stop is classified by its
 * length so far, so it turns from micro-stop into failure once it reaches the threshold.
 */
export interface TimeModel {
  windowSeconds: number;
  /** Seconds per state inside the window; uncovered time is counted as `offline`. Sums to `windowSeconds`. */
  stateSeconds: Record<StationState, number>;
  plannedBusySeconds: number;
  runningSeconds: number;
  operatingSeconds: number;
  /** Down intervals shorter than the threshold; count = intervals overlapping the window. */
  microStops: StopTally;
  /** Down intervals at least as long as the threshold; count = intervals overlapping the window. */
  failures: StopTally;
  changeoverSeconds: number;
  /** Idle, starved and blocked: inside PBT, not running. */
  waitingSeconds: number;
  /** Break and maintenance: excluded from PBT. */
  plannedDowntimeSeconds: number;
  /** Offline or not covered by any interval: excluded from PBT and flagged. */
  dataGapSeconds: number;
}

function zeroPerState(): Record<StationState, number> {
  return Object.fromEntries(STATION_STATES.map((s) => [s, 0])) as Record<StationState, number>;
}

/**
 * Builds the time model of one station from its sorted, non-overlapping, merged intervals (one `down`
 * interval per stop, as `buildIntervals` gives by default; a per-event list would split a stop). They may extend
 * beyond the window (`buildIntervals` with `clip: false`): only the part inside counts, but the full
 * length decides micro-stop or failure, so a long stop cut by a shift edge stays a failure.
 */
export function computeTimeModel(intervals: readonly StateInterval[], options: TimeModelOptions): TimeModel {
  const { from, to } = options;
  const windowMs = Math.max(0, to - from);
  const thresholdMs = options.microStopSeconds * 1000;
  const ms = zeroPerState();
  const micro = { count: 0, ms: 0 };
  const failure = { count: 0, ms: 0 };
  let covered = 0;
  for (const interval of intervals) {
    const inside = Math.min(interval.end, to) - Math.max(interval.start, from);
    if (inside <= 0) continue;
    ms[interval.state] += inside;
    covered += inside;
    if (interval.state === 'down') {
      const tally = interval.end - interval.start < thresholdMs ? micro : failure;
      tally.count += 1;
      tally.ms += inside;
    }
  }
  ms.offline += Math.max(0, windowMs - covered);
  const s = (v: number) => v / 1000;
  const stateSeconds = zeroPerState();
  for (const state of STATION_STATES) stateSeconds[state] = s(ms[state]);
  const excludedMs = ms.break + ms.maintenance + ms.offline;
  return {
    windowSeconds: s(windowMs),
    stateSeconds,
    plannedBusySeconds: s(windowMs - excludedMs),
    runningSeconds: s(ms.running),
    operatingSeconds: s(ms.running + micro.ms),
    microStops: { count: micro.count, seconds: s(micro.ms) },
    failures: { count: failure.count, seconds: s(failure.ms) },
    changeoverSeconds: s(ms.changeover),
    waitingSeconds: s(ms.idle + ms.starved + ms.blocked),
    plannedDowntimeSeconds: s(ms.break + ms.maintenance),
    dataGapSeconds: s(ms.offline),
  };
}
