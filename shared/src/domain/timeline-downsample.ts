import { STATION_STATES, type StationState } from '../contracts/station-state.js';

/** A state interval as the timeline chart draws it (epoch ms); a `TimelineInterval` fits. */
export interface DrawnInterval {
  state: StationState;
  reason: string | null;
  start: number;
  end: number;
  /** Source intervals it already stands for (downsampled once before, e.g. by the server); absent means 1. */
  merged?: number;
}

/** A drawn interval after downsampling: `merged` source intervals went into it (1 = drawn as is). */
export interface DownsampledInterval extends DrawnInterval {
  merged: number;
}

const STATE_INDEX = new Map<StationState, number>(STATION_STATES.map((state, index) => [state, index]));

/**
 * Shrinks one station's sorted, non-overlapping intervals to what a chart can show when one pixel covers
 * `minDurationMs`. Intervals at least that long are kept with their exact edges. Runs of shorter ones are cut
 * into groups spanning at least `minDurationMs` each, and a group is drawn as one interval in its dominant
 * state (the state with the most time in it; ties go to the state seen first). Gaps without data are never
 * bridged, and touching intervals of the same state become one. So a week of 30 s state changes comes out as
 * at most about two intervals per pixel, and the time per state stays right to within a pixel per group.
 * O(n), without allocations per short interval (a week of 12 stations is a quarter of a million of them).
 */
export function downsampleIntervals(intervals: readonly DrawnInterval[], minDurationMs: number): DownsampledInterval[] {
  const out: DownsampledInterval[] = [];
  const push = (piece: DownsampledInterval) => {
    const last = out[out.length - 1];
    if (last && last.state === piece.state && last.end === piece.start) {
      last.end = piece.end;
      last.merged += piece.merged;
      last.reason ??= piece.reason;
    } else {
      out.push(piece);
    }
  };

  // The group of short intervals being collected: time per state (by index) and the states in order of appearance.
  const msByState = new Array<number>(STATION_STATES.length).fill(0);
  const seen: number[] = [];
  let groupStart = 0;
  let groupEnd = 0;
  let groupCount = 0;
  let groupMerged = 0;
  let firstReason: string | null = null;
  const flush = () => {
    if (groupCount === 0) return;
    let dominant = seen[0]!;
    for (const index of seen) if (msByState[index]! > msByState[dominant]!) dominant = index;
    for (const index of seen) msByState[index] = 0;
    seen.length = 0;
    push({
      state: STATION_STATES[dominant]!,
      reason: groupCount === 1 ? firstReason : null,
      start: groupStart,
      end: groupEnd,
      merged: groupMerged,
    });
    groupCount = 0;
    groupMerged = 0;
  };

  for (const interval of intervals) {
    const length = interval.end - interval.start;
    if (length <= 0) continue;
    if (groupCount > 0 && groupEnd !== interval.start) flush(); // a data gap ends the group
    if (length >= minDurationMs) {
      flush();
      push({ ...interval, merged: interval.merged ?? 1 });
      continue;
    }
    if (groupCount === 0) {
      groupStart = interval.start;
      firstReason = interval.reason;
    }
    groupEnd = interval.end;
    groupCount += 1;
    groupMerged += interval.merged ?? 1;
    const index = STATE_INDEX.get(interval.state)!;
    if (msByState[index] === 0) seen.push(index);
    msByState[index] += length;
    if (groupEnd - groupStart >= minDurationMs) flush();
  }
  flush();
  return out;
}
