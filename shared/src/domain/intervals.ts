import type { StationState } from '../contracts/station-state.js';

/** One station's state over `[start, end)` (epoch ms). */
export interface StateInterval {
  station: string;
  state: StationState;
  reason: string | null;
  start: number;
  end: number;
}

/** A state event as the timeline needs it; a `StationEvent` of type `state` fits. */
export interface StateChange {
  ts: number;
  /** Breaks ties between events with the same `ts`: the higher seq is applied last and wins. */
  seq?: number;
  state: StationState;
  reason?: string | null;
}

/** The state in force at the window start: the last state event before it. */
export interface InitialState {
  state: StationState;
  reason?: string | null;
  /** When that state began; only used with `clip: false`. */
  since?: number;
}

export interface BuildIntervalsInput {
  station: string;
  /** Window `[from, to)`, epoch ms. */
  from: number;
  to: number;
  /** State events in any order; events before `from` refine `initial`, events at or after `to` are ignored. */
  events: readonly StateChange[];
  /** State in force at `from`. Unknown (null/undefined) means `offline`: a data gap, never a guess. */
  initial?: InitialState | null;
  /**
   * true (default): intervals are cut at the window edges. false: the interval in force at `from` keeps its
   * real start (`initial.since` or the event that began it) and the one in force at `to` runs to the first
   * later state change among `events` (else to `to`), so a stop crossing an edge keeps its full length.
   */
  clip?: boolean;
  /**
   * true (default): a repeated same-state event continues the interval (its reason, when given, replaces the
   * interval's reason: a stop classified later). false: every event inside the window starts an interval, the
   * exact form that `insertStateEvent` keeps correct; `mergeIntervals` turns it into the merged form. Repeats
   * before `from` always fold into the state in force at `from`.
   */
  mergeRepeats?: boolean;
}

/** Event-time order: by ts, ties by seq, then by input position (the sort is stable). */
function byEventTime(a: StateChange, b: StateChange): number {
  return a.ts - b.ts || (a.seq ?? 0) - (b.seq ?? 0);
}

interface Open {
  state: StationState;
  reason: string | null;
  start: number;
}

/**
 * Builds one station's state intervals for `[from, to)` from its state events, in event-time order, so late
 * and backfilled events land where they belong. The result is sorted, contiguous and covers the window;
 * zero-length intervals (two events at the same instant) are dropped; with `mergeRepeats` adjacent
 * intervals never share a state.
 */
export function buildIntervals(input: BuildIntervalsInput): StateInterval[] {
  const { station, from, to, initial } = input;
  const clip = input.clip ?? true;
  const merge = input.mergeRepeats ?? true;
  if (!(to > from)) return [];
  const sorted = [...input.events].sort(byEventTime);
  const out: StateInterval[] = [];

  const close = (open: Open, end: number) => {
    if (end <= open.start) return;
    const last = out[out.length - 1];
    if (merge && last && last.state === open.state && last.end === open.start) {
      last.end = end;
      last.reason = open.reason ?? last.reason;
    } else {
      out.push({ station, state: open.state, reason: open.reason, start: open.start, end });
    }
  };
  const isRepeat = (open: Open, e: StateChange) => merge && e.state === open.state;

  const since = initial?.since;
  let open: Open = {
    state: initial?.state ?? 'offline',
    reason: initial?.reason ?? null,
    start: clip || since === undefined ? from : Math.min(since, from),
  };
  let i = 0;
  for (; i < sorted.length && sorted[i]!.ts < from; i++) {
    const e = sorted[i]!;
    if (e.state === open.state) open.reason = e.reason ?? open.reason;
    else open = { state: e.state, reason: e.reason ?? null, start: clip ? from : e.ts };
  }
  for (; i < sorted.length && sorted[i]!.ts < to; i++) {
    const e = sorted[i]!;
    if (isRepeat(open, e)) {
      open.reason = e.reason ?? open.reason;
      continue;
    }
    close(open, e.ts);
    open = { state: e.state, reason: e.reason ?? null, start: e.ts };
  }
  let end = to;
  if (!clip) {
    let j = i;
    while (j < sorted.length && isRepeat(open, sorted[j]!)) j++;
    if (j < sorted.length) {
      for (; i < j; i++) open.reason = sorted[i]!.reason ?? open.reason;
      end = sorted[j]!.ts;
    }
  }
  close(open, end);
  return out;
}

/**
 * Merges touching intervals of the same station and state into one; the later interval's reason wins
 * when it has one. Input sorted by start.
 */
export function mergeIntervals(intervals: readonly StateInterval[]): StateInterval[] {
  const out: StateInterval[] = [];
  for (const interval of intervals) {
    const last = out[out.length - 1];
    if (last && last.station === interval.station && last.state === interval.state && last.end === interval.start) {
      out[out.length - 1] = { ...last, end: interval.end, reason: interval.reason ?? last.reason };
    } else {
      out.push({ ...interval });
    }
  }
  return out;
}

/**
 * Inserts one late state event into a station's sorted, contiguous interval list without a rebuild:
 * the interval the event lands in is split at `ts` and its remainder takes the event's state and reason
 * (an event exactly at an interval's start replaces it: a late event is applied after one with the
 * same ts). Binary search plus one splice; nothing is merged, so the result stays in per-event form.
 *
 * Exact on a per-event list (`buildIntervals` with `mergeRepeats: false`): `mergeIntervals` of the result
 * equals a rebuild from all events. On a merged list a repeat folded into an interval is no longer a
 * boundary, so the late state runs to the end of the interval it lands in. An event outside the list's
 * span returns the list unchanged (same reference): the caller rebuilds from the event log.
 */
export function insertStateEvent(intervals: readonly StateInterval[], event: StateChange): readonly StateInterval[] {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = intervals[mid]!;
    if (event.ts < it.start) hi = mid - 1;
    else if (event.ts >= it.end) lo = mid + 1;
    else {
      const tail: StateInterval = { ...it, state: event.state, reason: event.reason ?? null, start: event.ts };
      const replacement = event.ts === it.start ? [tail] : [{ ...it, end: event.ts }, tail];
      const out = intervals.slice();
      out.splice(mid, 1, ...replacement);
      return out;
    }
  }
  return intervals;
}
