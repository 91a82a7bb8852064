import type { LivePeriod } from '../contracts/live.js';
import type { StationState } from '../contracts/station-state.js';
import { rollingWindowFrom } from './throughput.js';

/** `line-below-target` reads the rolling throughput of the live metrics: the last 15 minutes. */
export const LINE_RATE_WINDOW_MINUTES = 15;

/**
 * An open `line-below-target` alert clears only once the rate is back at the threshold plus this many
 * percentage points (threshold 80 %: raised below 80, cleared at 85 or more), so a line hovering at the
 * threshold does not raise and clear it every few seconds.
 */
export const LINE_RATE_CLEAR_MARGIN_POINTS = 5;

/**
 * Output-station states in which the line is expected to produce. Break and maintenance (planned downtime),
 * changeover (a planned stop) and offline (no data, so no counts either) are not: a window that contains one
 * of them says nothing about the line's rate.
 */
export const OUTPUT_EXPECTED_STATES: readonly StationState[] = ['running', 'idle', 'starved', 'blocked', 'down'];

export function expectsOutput(state: StationState): boolean {
  return OUTPUT_EXPECTED_STATES.includes(state);
}

/** What `line-below-target` looks at, from one line's live metrics at `now`. */
export interface LineRateReading {
  now: number;
  period: Pick<LivePeriod, 'kind' | 'start'>;
  /** Good units per hour over the rolling window (LiveThroughput.unitsPerHour). */
  unitsPerHour: number | null;
  targetPerHour: number;
  /** Since when the output station has been in an output-expected state without interruption; null: not now. */
  outputExpectedSince: number | null;
}

/**
 * The rolling rate as a percentage of the target, or null when the rule does not apply now: outside a shift
 * (time no shift covers is not planned production time), without a target, or while the rolling window is
 * not yet wholly inside the shift and inside the output station's current stretch of output-expected states
 * (the first 15 minutes of a shift, after a break, maintenance, changeover or data gap).
 */
export function lineRatePercent(reading: LineRateReading): number | null {
  if (reading.period.kind !== 'shift' || !(reading.targetPerHour > 0) || reading.unitsPerHour === null) return null;
  const from = rollingWindowFrom(reading.now, LINE_RATE_WINDOW_MINUTES);
  if (from < reading.period.start) return null;
  if (reading.outputExpectedSince === null || reading.outputExpectedSince > from) return null;
  return (reading.unitsPerHour / reading.targetPerHour) * 100;
}

export interface LineBelowTargetRule {
  thresholdPercent: number;
  /** How long the rate must stay below the threshold before the alert is raised. */
  thresholdSeconds: number;
}

export interface LineBelowTargetStep {
  /** Since when the rate has been below the threshold (kept while the alert is open); null: it is not. */
  belowSince: number | null;
  action: 'raise' | 'clear' | 'none';
  /** The rate as a percentage of the target now; null when the rule does not apply. */
  percent: number | null;
}

/**
 * One evaluation of `line-below-target` for a line: raise when the rate has been below `thresholdPercent` for
 * `thresholdSeconds`; an open alert clears at `thresholdPercent + LINE_RATE_CLEAR_MARGIN_POINTS` or as soon as
 * the rule stops applying (the shift ends, the output station goes on a planned stop or offline).
 */
export function stepLineBelowTarget(
  belowSince: number | null,
  open: boolean,
  reading: LineRateReading,
  rule: LineBelowTargetRule,
): LineBelowTargetStep {
  const percent = lineRatePercent(reading);
  if (percent === null) return { belowSince: null, action: open ? 'clear' : 'none', percent };
  if (open) {
    return percent >= rule.thresholdPercent + LINE_RATE_CLEAR_MARGIN_POINTS
      ? { belowSince: null, action: 'clear', percent }
      : { belowSince: belowSince ?? reading.now, action: 'none', percent };
  }
  if (percent >= rule.thresholdPercent) return { belowSince: null, action: 'none', percent };
  const since = belowSince ?? reading.now;
  const lasted = reading.now - since >= rule.thresholdSeconds * 1000;
  return { belowSince: since, action: lasted ? 'raise' : 'none', percent };
}

/** The momentary bottleneck of a line and since when (event time) it has been the bottleneck. */
export interface MomentaryBottleneckReading {
  /** Null while no station is active. */
  station: string | null;
  since: number | null;
}

export interface BottleneckMove {
  from: string;
  to: string;
  /** When `to` became the momentary bottleneck. */
  since: number;
}

export interface BottleneckWatchStep {
  /** The stable bottleneck after this reading. */
  stable: string | null;
  moved: BottleneckMove | null;
}

/**
 * One evaluation of `bottleneck-moved`. The momentary bottleneck changes often by nature, so a station becomes
 * the stable bottleneck only once it has been the momentary one for `debounceSeconds` without interruption;
 * a different station than the previous stable one doing so is a move. The first stable bottleneck (at start-up)
 * is not a move. A moment with no active station (the line on a break) neither moves nor forgets the stable one.
 */
export function stepBottleneckWatch(
  stable: string | null,
  reading: MomentaryBottleneckReading,
  now: number,
  debounceSeconds: number,
): BottleneckWatchStep {
  const { station, since } = reading;
  if (station === null || since === null || station === stable || now - since < debounceSeconds * 1000) {
    return { stable, moved: null };
  }
  return { stable: station, moved: stable === null ? null : { from: stable, to: station, since } };
}
