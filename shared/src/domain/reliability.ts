import type { TimeModel } from './time-model.js';

export interface Reliability {
  /** Failure events: down intervals that are not micro-stops, overlapping the window. */
  failures: number;
  /** MTBF = operating time OT / failures, seconds; null without failures. */
  mtbfSeconds: number | null;
  /** MTTR = failure down time / failures, seconds; null without failures. */
  mttrSeconds: number | null;
}

/**
 * MTBF and MTTR per failure event (ISO 22400-2) from a station's time model. Conventions: operating time
 * is OT = running + micro-stops (a micro-stop is no failure); a failure crossing a window edge counts in
 * each window it overlaps, with the part inside that window, like every other cut-at-the-edges figure.
 */
export function computeReliability(model: Pick<TimeModel, 'operatingSeconds' | 'failures'>): Reliability {
  const { count, seconds } = model.failures;
  return {
    failures: count,
    mtbfSeconds: count > 0 ? model.operatingSeconds / count : null,
    mttrSeconds: count > 0 ? seconds / count : null,
  };
}
