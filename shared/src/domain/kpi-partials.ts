import { STATION_STATES, type StationState } from '../contracts/station-state.js';
import type { OeeBucket } from '../contracts/stops.js';
import { activePeriods, bottleneckMsByBucket, type ActivePeriod } from './bottleneck.js';
import type { StateInterval } from './intervals.js';
import {
  classifyStops,
  isAvailabilityLoss,
  isStopState,
  keepStationText,
  stopPartBuckets,
  type ClassifiedInterval,
  type ReasonBuckets,
  type StopClassification,
} from './stops.js';

/**
 * A line's KPIs as sums of per-bucket parts, so that a long window can be answered from stored parts
 * (KPI rollups) plus a short raw computation at its edges, with exactly the figures of one computation over
 * the whole window (`line-kpis.ts`).
 *
 * Every figure of `computeLineKpis` is a sum over instants or over stops, once the rules that look further
 * than an instant are pinned down:
 * - a stop counts (MTBF, micro-stops, Pareto) in the bucket holding `max(start, window.from)`, so a stop that
 *   crosses buckets counts once, where `computeTimeModel` would count it for the window;
 * - micro-stop or failure is decided by the stop's whole length, as in `computeTimeModel`;
 * - what a stop's time costs follows the OEE bucket of its reason (a coordinator's, else the station's text
 *   matched to the catalogue; per part of a split stop): `excluded` takes it out of planned busy time (a planned
 *   stop), `performance` counts a stop as a speed loss (operating time, like a micro-stop), `availability` and
 *   `quality` leave it an availability loss (ISO 22400's quality ratio counts parts, not time);
 * - bottleneck time at an instant depends on the active periods covering it and on the periods overlapping
 *   those (two hops, `bucketExtent`): a bucket's stored part is the window's part whenever that neighbourhood
 *   lies inside the window, because only periods crossing the window edges are cut.
 */

/**
 * One station's additive figures over a bucket, as a vector (a week is ~700 buckets × stations, summed on every
 * query): milliseconds per state in `STATION_STATES` order (time no interval covers counts as `offline`), then
 * the fields of `STATION_FIELD`. `stationFigures` reads one as an object.
 */
export type StationPartial = number[];

const STATES_N = STATION_STATES.length;
const STATE_INDEX = new Map<StationState, number>(STATION_STATES.map((s, i) => [s, i]));
/** Positions in a `StationPartial` after the per-state milliseconds. */
export const STATION_FIELD = {
  microStops: STATES_N,
  microStopMs: STATES_N + 1,
  failures: STATES_N + 2,
  failureMs: STATES_N + 3,
  soleMs: STATES_N + 4,
  shiftingMs: STATES_N + 5,
  /** Stop time whose reason's bucket is `excluded`: planned downtime, out of planned busy time. */
  plannedStopMs: STATES_N + 6,
  /** Stop time (not micro-stops, counted above) whose reason's bucket is `performance`: operating time. */
  performanceStopMs: STATES_N + 7,
} as const;
export const STATION_PARTIAL_LENGTH = STATES_N + 8;

/** A station's part as an object, for reading and tests. */
export function stationFigures(part: StationPartial) {
  const f = STATION_FIELD;
  return {
    stateMs: Object.fromEntries(STATION_STATES.map((s, i) => [s, part[i]!])) as Record<StationState, number>,
    microStops: { count: part[f.microStops]!, ms: part[f.microStopMs]! },
    failures: { count: part[f.failures]!, ms: part[f.failureMs]! },
    bottleneck: { sole: part[f.soleMs]!, shifting: part[f.shiftingMs]! },
    plannedStopMs: part[f.plannedStopMs]!,
    performanceStopMs: part[f.performanceStopMs]!,
  };
}

/**
 * Down time of one kind of stop part over a bucket. `reasonKey` is a coordinator's classification; without
 * one, `stationReason` is the station's own text (first parts only), matched against the catalogue when the
 * parts are combined, so a catalogue edit needs no recomputation.
 */
export interface DowntimePartial {
  reasonKey: string | null;
  stationReason: string | null;
  ms: number;
  count: number;
}

export interface KpiPartial {
  /** The bucket `[start, end)`, epoch ms. */
  start: number;
  end: number;
  /** Every station of the line, in the flow order the parts were computed with. */
  stations: StationPartial[];
  downtime: DowntimePartial[];
}

export interface KpiPartialsInput {
  /**
   * Merged intervals of the line (touching rows of one state are one interval), uncut, covering every bucket
   * and reaching beyond them far enough that the stops and active periods that matter are whole.
   */
  intervals: readonly StateInterval[];
  /** The line's stations in flow order; intervals of other stations are ignored. */
  stations: readonly string[];
  /** The analysed window: periods are cut at its edges, stops count where they first overlap it. */
  window: { from: number; to: number };
  /** Sorted, not overlapping, inside the window. */
  buckets: readonly (readonly [number, number])[];
  microStopSeconds: number;
  classifications: readonly StopClassification[];
  /** The reason catalogue's OEE buckets; without it every stop is an availability loss. */
  reasons?: ReasonBuckets;
}

/** Index of the first of `items` (sorted, not overlapping) whose end is after `t`; `items.length` if none. */
function firstEndingAfter<T>(items: readonly T[], endOf: (item: T) => number, t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (endOf(items[mid]!) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const bucketEnd = (bucket: readonly [number, number]) => bucket[1];
const periodEnd = (period: ActivePeriod) => period.end;

/** Index of the first bucket that ends after `t` (buckets sorted); `buckets.length` if none. */
function firstBucketEndingAfter(buckets: readonly (readonly [number, number])[], t: number): number {
  return firstEndingAfter(buckets, bucketEnd, t);
}

/** The additive KPI figures of each bucket, as the analysis of the whole window sees that bucket. */
export function kpiPartials(input: KpiPartialsInput): KpiPartial[] {
  const { stations, window, buckets } = input;
  const placed = new Set(stations);
  const intervals = input.intervals.filter((i) => placed.has(i.station));
  const thresholdMs = input.microStopSeconds * 1000;
  const position = new Map(stations.map((s, i) => [s, i]));
  const partials: KpiPartial[] = buckets.map(([start, end]) => ({
    start,
    end,
    stations: stations.map(() => new Array<number>(STATION_PARTIAL_LENGTH).fill(0)),
    downtime: [],
  }));
  // The bucket holding `max(t, window.from)`, or -1 when that instant is in none of them.
  const bucketOfFirstOverlap = (t: number) => {
    const at = Math.max(t, window.from);
    const k = firstBucketEndingAfter(buckets, at);
    return k < buckets.length && buckets[k]![0] <= at ? k : -1;
  };

  const covered = buckets.map(() => new Float64Array(stations.length));
  /** Adds `[from, to)` of a station to the buckets it overlaps: to its state and, unless -1, to `field`. */
  const spread = (p: number, state: number, from: number, to: number, field: number) => {
    for (let k = firstBucketEndingAfter(buckets, from); k < buckets.length; k++) {
      const [start, end] = buckets[k]!;
      if (start >= to) break;
      const inside = Math.min(to, end) - Math.max(from, start);
      if (inside <= 0) continue;
      const station = partials[k]!.stations[p]!;
      station[state]! += inside;
      covered[k]![p]! += inside;
      if (field >= 0) station[field]! += inside;
    }
  };
  // Stops cut at split points, each part with its reason (station texts kept as they are: see addDowntime).
  const stopParts = classifyStops(
    intervals.filter((i) => isStopState(i.state)),
    input.classifications,
    keepStationText,
  );
  const bucketOfPart = stopPartBuckets(input.reasons);
  let nextPart = 0;
  for (const interval of intervals) {
    const p = position.get(interval.station)!;
    const state = STATE_INDEX.get(interval.state)!;
    if (!isStopState(interval.state)) {
      spread(p, state, interval.start, interval.end, -1);
      continue;
    }
    // The parts of this stop: classifyStops keeps the intervals' order.
    const first = nextPart;
    while (
      nextPart < stopParts.length &&
      stopParts[nextPart]!.stopStart === interval.start &&
      stopParts[nextPart]!.station === interval.station
    )
      nextPart++;
    const parts = stopParts.slice(first, nextPart);
    const partBuckets = parts.map(bucketOfPart);
    const isDown = interval.state === 'down';
    const micro = isDown && interval.end - interval.start < thresholdMs;
    if (isDown) {
      // A micro-stop counts unless it was a planned stop; a failure only if some of it was an availability loss.
      const counts = micro ? partBuckets[0] !== 'excluded' : partBuckets.some(isAvailabilityLoss);
      const k = bucketOfFirstOverlap(interval.start);
      if (counts && k >= 0 && interval.end > window.from) {
        partials[k]!.stations[p]![micro ? STATION_FIELD.microStops : STATION_FIELD.failures]! += 1;
      }
    }
    parts.forEach((part, n) => spread(p, state, part.start, part.end, stopTimeField(partBuckets[n]!, micro, isDown)));
  }
  const offline = STATE_INDEX.get('offline')!;
  partials.forEach((partial, k) => {
    partial.stations.forEach((station, p) => {
      station[offline]! += Math.max(0, partial.end - partial.start - covered[k]![p]!);
    });
  });

  addDowntime(partials, stopParts, input);
  const bottleneck = bottleneckMsByBucket(activePeriods(intervals), { ...window, stations }, buckets);
  bottleneck.forEach((byStation, k) => {
    for (const [station, ms] of byStation) {
      const target = partials[k]!.stations[position.get(station)!]!;
      target[STATION_FIELD.soleMs] = ms.sole;
      target[STATION_FIELD.shiftingMs] = ms.shifting;
    }
  });
  return partials;
}

/** Where a stop part's time is summed besides its state (-1: nowhere): planned, micro-stop, speed loss, failure. */
function stopTimeField(bucket: OeeBucket, micro: boolean, isDown: boolean): number {
  if (bucket === 'excluded') return STATION_FIELD.plannedStopMs;
  if (micro) return STATION_FIELD.microStopMs;
  if (bucket === 'performance') return STATION_FIELD.performanceStopMs;
  return isDown ? STATION_FIELD.failureMs : -1;
}

/** The Pareto's parts: classified `down` parts (split points applied), by where each first overlaps the window. */
function addDowntime(partials: KpiPartial[], stopParts: readonly ClassifiedInterval[], input: KpiPartialsInput): void {
  const { window, buckets } = input;
  // The catalogue match of station texts is made in `combineKpiPartials` (the parts keep the text).
  const parts = stopParts.filter((part) => part.state === 'down');
  const byKey = partials.map(() => new Map<string, DowntimePartial>());
  for (const part of parts) {
    if (part.end <= window.from || part.start >= window.to) continue;
    const given = part.reasonSource === 'coordinator' ? part.reason : null;
    const stationReason = given === null ? part.reason : null;
    const key = given !== null ? `c:${given}` : stationReason === null ? 'none' : `s:${stationReason}`;
    const countIn = Math.max(part.start, window.from);
    for (let k = firstBucketEndingAfter(buckets, part.start); k < buckets.length; k++) {
      const [start, end] = buckets[k]!;
      if (start >= part.end) break;
      const inside = Math.min(part.end, end) - Math.max(part.start, start);
      if (inside <= 0) continue;
      let entry = byKey[k]!.get(key);
      if (!entry) {
        entry = { reasonKey: given, stationReason, ms: 0, count: 0 };
        byKey[k]!.set(key, entry);
        partials[k]!.downtime.push(entry);
      }
      entry.ms += inside;
      if (countIn >= start && countIn < end) entry.count += 1;
    }
  }
}

/**
 * Where a bucket's stored part stays valid: the span of every active period that its figures depend on (those
 * covering an instant of it, and those overlapping these), and the bucket itself. A window that contains this
 * span gets exactly the stored part; data changing inside it makes the part stale. Null when that
 * neighbourhood reaches a period the intervals may not hold whole (one touching the edges of the fetched range,
 * or ongoing): the bucket must then be computed from raw intervals.
 */
export interface BucketExtent {
  start: number;
  end: number;
}

/**
 * The extent of each bucket (see `BucketExtent`) from the intervals fetched over `fetched`, which must contain
 * the buckets. Periods touching an edge of `fetched` count as possibly cut short.
 */
export function bucketExtents(
  intervals: readonly StateInterval[],
  stations: readonly string[],
  fetched: { from: number; to: number },
  buckets: readonly (readonly [number, number])[],
): (BucketExtent | null)[] {
  const placed = new Set(stations);
  const byStation = new Map<string, ActivePeriod[]>();
  for (const p of activePeriods(intervals.filter((i) => placed.has(i.station)))) {
    const list = byStation.get(p.station);
    if (list) list.push(p);
    else byStation.set(p.station, [p]);
  }
  const lists = [...byStation.values()];
  const truncated = (p: ActivePeriod) => p.start <= fetched.from || p.end >= fetched.to;
  /** The hull of `[x, y)` and every period overlapping it; null if one of them may be cut short. */
  const hull = (x: number, y: number): BucketExtent | null => {
    let start = x;
    let end = y;
    for (const list of lists) {
      // Periods of one station are disjoint and sorted: the overlapping ones are a run.
      const lo = firstEndingAfter(list, periodEnd, x);
      const first = list[lo];
      if (!first || first.start >= y) continue;
      let last = first;
      for (let k = lo + 1; k < list.length && list[k]!.start < y; k++) last = list[k]!;
      if (truncated(first) || truncated(last)) return null;
      start = Math.min(start, first.start);
      end = Math.max(end, last.end);
    }
    return { start, end };
  };
  return buckets.map(([start, end]) => {
    const covering = hull(start, end);
    return covering && hull(covering.start, covering.end);
  });
}

/** A stored bucket part with the extent it depends on. */
export interface StoredKpiPartial {
  partial: KpiPartial;
  extent: BucketExtent;
}

/**
 * A stretch of the window to compute from raw intervals: `measure`, from the intervals overlapping `near` when
 * they hold all it depends on (`gapIntervalsSuffice`), else from those overlapping `fetch`, which always do.
 */
export interface KpiGap {
  measure: [number, number];
  near: { from: number; to: number };
  fetch: { from: number; to: number };
}

/** How far beyond a gap the first, narrow fetch reaches (periods are usually shorter in busy history). */
export const KPI_GAP_NEAR_MS = 2 * 60_000;

/**
 * Splits a window into stored parts it can use as they are (their extent lies inside the window) and the gaps
 * between them. A gap's `fetch` reaches over its neighbours' extents: a period that reaches the gap from a used
 * bucket lies inside that bucket's extent, and so do the periods overlapping it. `near` reaches only
 * `KPI_GAP_NEAR_MS` beyond the gap. `marginMs` (the micro-stop threshold) lets stops crossing the window edges keep
 * their length.
 */
export function planKpiWindow(
  window: { from: number; to: number },
  stored: readonly StoredKpiPartial[],
  marginMs: number,
): { used: KpiPartial[]; gaps: KpiGap[] } {
  const { from, to } = window;
  const usable = stored
    .filter((s) => s.extent.start >= from && s.extent.end <= to)
    .sort((a, b) => a.partial.start - b.partial.start);
  const used: KpiPartial[] = [];
  const gaps: KpiGap[] = [];
  const gap = (start: number, end: number, fetchFrom: number, fetchTo: number): KpiGap => ({
    measure: [start, end],
    near: {
      from: start === from ? from - marginMs : Math.max(fetchFrom, start - KPI_GAP_NEAR_MS),
      to: end === to ? to + marginMs : Math.min(fetchTo, end + KPI_GAP_NEAR_MS),
    },
    fetch: { from: fetchFrom, to: fetchTo },
  });
  let cursor = from;
  let fetchFrom = from - marginMs;
  for (const s of usable) {
    if (s.partial.start < cursor) continue;
    if (s.partial.start > cursor) gaps.push(gap(cursor, s.partial.start, fetchFrom, s.extent.end + marginMs));
    used.push(s.partial);
    cursor = s.partial.end;
    fetchFrom = s.extent.start - marginMs;
  }
  if (cursor < to) gaps.push(gap(cursor, to, fetchFrom, to + marginMs));
  return { used, gaps };
}

/**
 * Whether the intervals fetched over `gap.near` hold every stop and active period the gap's figures depend on:
 * none of them may touch an edge of that range, except at the window's own edges, where periods are cut anyway.
 */
export function gapIntervalsSuffice(
  intervals: readonly StateInterval[],
  stations: readonly string[],
  window: { from: number; to: number },
  gap: KpiGap,
): boolean {
  const [start, end] = gap.measure;
  const edges = {
    from: start === window.from ? -Infinity : gap.near.from,
    to: end === window.to ? Infinity : gap.near.to,
  };
  return bucketExtents(intervals, stations, edges, [gap.measure])[0] !== null;
}

/** What a stop's reasons change in the time model (milliseconds inside a window). */
export interface StopCost {
  /** Planned stop time (`excluded`): out of planned busy time. */
  plannedMs: number;
  /** Of that, micro-stop time (which counts as operating time unless planned). */
  plannedMicroMs: number;
  /** Stop time that is a speed loss (`performance`, beyond micro-stops): operating time. */
  performanceMs: number;
}

/**
 * One stop's `StopCost` inside `[from, to)`, by the buckets of its parts, as `kpiPartials` counts them; a `down`
 * stop shorter than `microStopMs` is a micro-stop. For the live metrics, which sum stops one at a time.
 */
export function stopCost(
  stop: StateInterval,
  classifications: readonly StopClassification[],
  bucketOf: (part: ClassifiedInterval) => OeeBucket,
  microStopMs: number,
  window: { from: number; to: number },
): StopCost {
  const cost = { plannedMs: 0, plannedMicroMs: 0, performanceMs: 0 };
  const isDown = stop.state === 'down';
  const micro = isDown && stop.end - stop.start < microStopMs;
  for (const part of classifyStops([stop], classifications, keepStationText)) {
    const inside = Math.min(part.end, window.to) - Math.max(part.start, window.from);
    if (inside <= 0) continue;
    // The same rule as the KPI partials' fields.
    const field = stopTimeField(bucketOf(part), micro, isDown);
    if (field === STATION_FIELD.plannedStopMs) {
      cost.plannedMs += inside;
      if (micro) cost.plannedMicroMs += inside;
    } else if (field === STATION_FIELD.performanceStopMs) {
      cost.performanceMs += inside;
    }
  }
  return cost;
}
