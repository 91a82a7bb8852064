import type { StateInterval } from './intervals.js';

export interface DowntimeCause {
  /** The stop reason; null for unclassified stops. */
  reason: string | null;
  seconds: number;
  count: number;
}

/**
 * Downtime Pareto: the `down` intervals (micro-stops included) grouped by reason, sorted by seconds
 * descending, then count descending, then reason (unclassified last). One merged interval is one stop
 * (`buildIntervals` default). With `window`, only the part inside `[from, to)` counts and a stop counts
 * when it overlaps the window (so intervals built with `clip: false` can be passed as they are). Other
 * states are ignored; stations may be mixed (a line's Pareto).
 */
export function downtimePareto(
  intervals: readonly StateInterval[],
  window: { from: number; to: number } = { from: -Infinity, to: Infinity },
): DowntimeCause[] {
  const byReason = new Map<string | null, { ms: number; count: number }>();
  for (const interval of intervals) {
    if (interval.state !== 'down') continue;
    const inside = Math.min(interval.end, window.to) - Math.max(interval.start, window.from);
    if (inside <= 0) continue;
    const entry = byReason.get(interval.reason) ?? { ms: 0, count: 0 };
    entry.ms += inside;
    entry.count += 1;
    byReason.set(interval.reason, entry);
  }
  return rankDowntime(byReason);
}

/**
 * The Pareto order of down time per reason: seconds descending, then count descending, then reason
 * (unclassified last).
 */
export function rankDowntime(byReason: ReadonlyMap<string | null, { ms: number; count: number }>): DowntimeCause[] {
  return [...byReason]
    .map(([reason, { ms, count }]) => ({ reason, seconds: ms / 1000, count, ms }))
    .sort(
      (a, b) =>
        b.ms - a.ms ||
        b.count - a.count ||
        (a.reason === null ? 1 : b.reason === null ? -1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
    )
    .map(({ reason, seconds, count }) => ({ reason, seconds, count }));
}
