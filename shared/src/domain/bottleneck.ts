import type { StationState } from '../contracts/station-state.js';
import type { StateInterval } from './intervals.js';
import { isActiveState } from './state-taxonomy.js';

/**
 * Bottleneck detection by the active period method (Roser, Nakano, Tanaka; STANDARDS.md §5).
 *
 * Conventions:
 * - An active period is a maximal run of touching active intervals (running, down, changeover,
 *   maintenance) of one station: running → down → running is one period.
 * - Break and offline are excluded from the analysis: they are not active, so they end a period, and a
 *   station on break or offline is never a bottleneck while it lasts (it is not counted as inactive either;
 *   shares stay fractions of the whole window, so a line-wide break leaves a span with no bottleneck).
 * - Periods are cut at the window edges before anything is compared; lengths are those of the cut periods.
 * - Stations tied for the longest period are all momentary bottlenecks for that span; their periods
 *   overlap there, so that span is shifting for each of them.
 */

/** One station's uninterrupted run of active states, `[start, end)` epoch ms. */
export interface ActivePeriod {
  station: string;
  start: number;
  end: number;
}

/** Active periods from state intervals of any number of stations (each station's intervals non-overlapping). */
export function activePeriods(intervals: readonly StateInterval[]): ActivePeriod[] {
  const byStation = new Map<string, StateInterval[]>();
  for (const interval of intervals) {
    if (!isActiveState(interval.state) || interval.end <= interval.start) continue;
    const list = byStation.get(interval.station) ?? [];
    list.push(interval);
    byStation.set(interval.station, list);
  }
  const out: ActivePeriod[] = [];
  for (const [station, list] of byStation) {
    list.sort((a, b) => a.start - b.start);
    let current: ActivePeriod | null = null;
    for (const interval of list) {
      if (current && interval.start <= current.end) {
        current.end = Math.max(current.end, interval.end);
      } else {
        current = { station, start: interval.start, end: interval.end };
        out.push(current);
      }
    }
  }
  return out;
}

/**
 * Calls `visit` for every maximal span of `[from, to)` over which the set of covering periods is constant,
 * with that set. Periods must be cut to the window. O(boundaries × concurrent periods).
 */
function sweep(
  periods: readonly ActivePeriod[],
  from: number,
  to: number,
  visit: (start: number, end: number, covering: readonly ActivePeriod[]) => void,
): void {
  const byStart = [...periods].sort((a, b) => a.start - b.start);
  // Sorted distinct boundaries; plain loops rather than spreads: a week holds tens of thousands of periods.
  const all = new Float64Array(periods.length * 2 + 2);
  all[0] = from;
  all[1] = to;
  for (let i = 0; i < periods.length; i++) {
    all[2 + 2 * i] = periods[i]!.start;
    all[3 + 2 * i] = periods[i]!.end;
  }
  all.sort();
  const covering: ActivePeriod[] = [];
  let next = 0;
  for (let k = 0; k + 1 < all.length; k++) {
    const start = all[k]!;
    const end = all[k + 1]!;
    if (end === start) continue;
    let kept = 0;
    for (const p of covering) if (p.end > start) covering[kept++] = p;
    covering.length = kept;
    while (next < byStart.length && byStart[next]!.start <= start) covering.push(byStart[next++]!);
    if (covering.length > 0) visit(start, end, covering);
  }
}

/** A span of the window with the same momentary bottleneck station(s); more than one means a tie. */
export interface MomentarySpan {
  start: number;
  end: number;
  stations: string[];
}

export interface BottleneckShare {
  station: string;
  /** Fraction of the window the station was the only bottleneck. */
  sole: number;
  /** Fraction of the window the station's bottleneck periods overlapped another station's. */
  shifting: number;
}

export interface WindowBottleneck {
  /** Largest sole share, then largest shifting share, then flow order; null when no station was active. */
  station: string | null;
  /** One entry per station, in the order given (stations only seen in `periods` follow). */
  shares: BottleneckShare[];
  /** The chain of momentary bottlenecks; spans where no station is active are absent. */
  momentary: MomentarySpan[];
  /** The whole (cut) active periods the momentary bottlenecks contribute, sorted by start. */
  bottleneckPeriods: ActivePeriod[];
}

export interface BottleneckWindow {
  from: number;
  to: number;
  /** The line's stations in flow order. */
  stations?: readonly string[];
}

/**
 * Sole and shifting bottleneck shares over `[from, to)`.
 * 1. Cut the periods at the window edges.
 * 2. Momentary bottleneck at each instant: among the stations active then, the one whose (cut) active period
 *    containing it is longest; ties: all of them.
 * 3. Each momentary bottleneck contributes its whole active period. Where bottleneck periods of different
 *    stations overlap, that time is shifting for each of them; the rest is sole.
 * 4. share = time / window length.
 */
export function analyseBottleneck(periods: readonly ActivePeriod[], window: BottleneckWindow): WindowBottleneck {
  const { from, to } = window;
  const { stations, order, cut } = prepare(periods, window);
  const windowMs = to - from;
  const { momentary, bottleneckPeriods } = chooseBottleneckPeriods(cut, from, to, order);

  const soleMs = new Map<string, number>();
  const shiftingMs = new Map<string, number>();
  if (windowMs > 0) {
    sweep(bottleneckPeriods, from, to, (start, end, covering) => {
      const target = covering.length === 1 ? soleMs : shiftingMs;
      for (const p of covering) target.set(p.station, (target.get(p.station) ?? 0) + (end - start));
    });
  }

  const shares = stations.map((station) => ({
    station,
    sole: windowMs > 0 ? (soleMs.get(station) ?? 0) / windowMs : 0,
    shifting: windowMs > 0 ? (shiftingMs.get(station) ?? 0) / windowMs : 0,
  }));
  return { station: leadingStation(shares), shares, momentary, bottleneckPeriods };
}

/** The line's bottleneck from its shares: largest sole share, then largest shifting share, then flow order. */
export function leadingStation(shares: readonly BottleneckShare[]): string | null {
  let station: string | null = null;
  let best: BottleneckShare | null = null;
  for (const share of shares) {
    if (share.sole === 0 && share.shifting === 0) continue;
    if (!best || share.sole > best.sole || (share.sole === best.sole && share.shifting > best.shifting)) {
      best = share;
      station = share.station;
    }
  }
  return station;
}

/** Sole and shifting bottleneck time of one station, milliseconds. */
export interface BottleneckMs {
  sole: number;
  shifting: number;
}

/**
 * The time behind `analyseBottleneck`'s shares, split over `buckets`: for each bucket `[start, end)` (sorted,
 * not overlapping, inside the window) the sole and shifting milliseconds per station of the analysis of the
 * whole window. Summing the buckets of a tiling gives exactly the shares' numerators; a bucket's figures depend
 * only on the periods near it, which lets KPI rollups store them (see `kpi-partials.ts`).
 */
export function bottleneckMsByBucket(
  periods: readonly ActivePeriod[],
  window: BottleneckWindow,
  buckets: readonly (readonly [number, number])[],
): Map<string, BottleneckMs>[] {
  const { from, to } = window;
  const { order, cut } = prepare(periods, window);
  const out = buckets.map(() => new Map<string, BottleneckMs>());
  if (to <= from || buckets.length === 0) return out;
  const { bottleneckPeriods } = chooseBottleneckPeriods(cut, from, to, order);
  let b = 0;
  sweep(bottleneckPeriods, from, to, (start, end, covering) => {
    while (b < buckets.length && buckets[b]![1] <= start) b++;
    const sole = covering.length === 1;
    for (let k = b; k < buckets.length && buckets[k]![0] < end; k++) {
      const inside = Math.min(end, buckets[k]![1]) - Math.max(start, buckets[k]![0]);
      if (inside <= 0) continue;
      const target = out[k]!;
      for (const p of covering) {
        const entry = target.get(p.station) ?? { sole: 0, shifting: 0 };
        if (sole) entry.sole += inside;
        else entry.shifting += inside;
        target.set(p.station, entry);
      }
    }
  });
  return out;
}

/** Stations in flow order (then first seen in `periods`), and the periods cut at the window edges. */
function prepare(periods: readonly ActivePeriod[], window: BottleneckWindow) {
  const { from, to } = window;
  const stations = [...(window.stations ?? [])];
  const order = new Map(stations.map((station, i) => [station, i]));
  for (const p of periods) {
    if (order.has(p.station)) continue;
    order.set(p.station, stations.length);
    stations.push(p.station);
  }
  const cut = periods
    .map((p) => ({ station: p.station, start: Math.max(p.start, from), end: Math.min(p.end, to) }))
    .filter((p) => p.end > p.start);
  return { stations, order, cut };
}

/** Steps 2 and 3 of the method: the chain of momentary bottlenecks and the whole periods they contribute. */
function chooseBottleneckPeriods(
  cut: readonly ActivePeriod[],
  from: number,
  to: number,
  order: ReadonlyMap<string, number>,
): { momentary: MomentarySpan[]; bottleneckPeriods: ActivePeriod[] } {
  const momentary: MomentarySpan[] = [];
  const chosen = new Set<ActivePeriod>();
  if (to > from) {
    sweep(cut, from, to, (start, end, covering) => {
      let longest = -Infinity;
      for (const p of covering) longest = Math.max(longest, p.end - p.start);
      const names: string[] = [];
      for (const p of covering) {
        if (p.end - p.start !== longest) continue;
        chosen.add(p);
        names.push(p.station);
      }
      if (names.length > 1) names.sort((a, b) => order.get(a)! - order.get(b)!);
      const last = momentary[momentary.length - 1];
      if (last && last.end === start && sameStations(last.stations, names)) last.end = end;
      else momentary.push({ start, end, stations: names });
    });
  }
  return { momentary, bottleneckPeriods: [...chosen].sort((a, b) => a.start - b.start || a.end - b.end) };
}

function sameStations(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The live momentary bottleneck: the station(s) with the longest ongoing active period at `now`. */
export interface MomentaryBottleneck {
  /** More than one: tied, a shifting bottleneck. In the order given to the constructor, then first seen. */
  stations: string[];
  /** Start of their ongoing active period. */
  activeSince: number;
  elapsedMs: number;
}

/**
 * Tracks the live momentary bottleneck of one line from state changes: O(1) per change, O(stations) per
 * query, no rescans of history. Changes older than the station's last applied one are ignored, as in the
 * live station-state reducer (late and backfilled events go to the window analysis instead).
 */
export class MomentaryBottleneckTracker {
  private readonly activeSince = new Map<string, number | null>();
  private readonly lastTs = new Map<string, number>();

  /** `stations` in flow order fixes the order of tied stations; each starts with no ongoing active period. */
  constructor(stations: readonly string[] = []) {
    for (const station of stations) this.activeSince.set(station, null);
  }

  /** Applies a station's state change at event time `ts`. Active → active keeps the period's start. */
  apply(station: string, state: StationState, ts: number): void {
    if (ts < (this.lastTs.get(station) ?? -Infinity)) return;
    this.lastTs.set(station, ts);
    const since = this.activeSince.get(station) ?? null;
    if (!isActiveState(state)) this.activeSince.set(station, null);
    else if (since === null) this.activeSince.set(station, ts);
  }

  /** Seeds a station's ongoing active period (e.g. from `activePeriods` at start-up); null: not active. */
  seed(station: string, activeSince: number | null, ts = activeSince ?? -Infinity): void {
    this.activeSince.set(station, activeSince);
    this.lastTs.set(station, ts);
  }

  /** The momentary bottleneck at `now`, or null when no station is active. */
  current(now: number): MomentaryBottleneck | null {
    let earliest = Infinity;
    let stations: string[] = [];
    for (const [station, since] of this.activeSince) {
      if (since === null) continue;
      if (since < earliest) {
        earliest = since;
        stations = [station];
      } else if (since === earliest) {
        stations.push(station);
      }
    }
    if (stations.length === 0) return null;
    return { stations, activeSince: earliest, elapsedMs: now - earliest };
  }
}
