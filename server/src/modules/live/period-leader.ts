import { analyseBottleneck, bottleneckMsByBucket, type ActivePeriod, type BottleneckShare } from '@floorboard/shared';

/**
 * Closed active periods a line holds before it settles on assumptions (`settleAssumed`) rather than on certainty:
 * ~20 KB per line at most.
 */
export const LIVE_PERIODS_CAP = 200;
/**
 * Past LIVE_PERIODS_CAP only: how late (event time behind the clock) a state change of a station that has a state
 * may still arrive and count fully in the sole/shifting shares; an older one is clipped to the settled point.
 * (The KPI endpoints read the history and are exact whatever the delay.)
 */
export const LIVE_LATENESS_MS = 10 * 60_000;
/** Past LIVE_PERIODS_CAP: how far behind `now` an assumed settle cuts at least (see `settleAssumed`). */
export const LIVE_FORCED_SETTLE_BEHIND_MS = 60_000;

/** What is known of a station for settling: its latest state change, and its ongoing active period's start. */
export interface StationFrontier {
  lastChange: number;
  activeSince: number | null;
}

export interface PeriodLeaderValue {
  station: string | null;
  shares: BottleneckShare[];
}

/**
 * The current period's sole/shifting bottleneck leader by the active period method (shared analyseBottleneck),
 * with memory bounded over a long period: the closed active periods are kept only until they can no longer
 * change the result, then folded into per-station sole and shifting milliseconds.
 * - Settled prefix: a station's next change comes at or after its latest one (changes are applied in event-time
 *   order per station), so before every station's latest change and every ongoing active period's start no
 *   period can still begin; the part of the period up to a point no closed period straddles is analysed once
 *   and kept as totals.
 * - Dominated periods: a closed period lying inside another station's ongoing active period, as far as that one
 *   is sure to reach (its station's latest change), and shorter than that, can never be the longest anywhere.
 * Both are exact: the shares equal analyseBottleneck's over the whole list (spans are whole milliseconds, so the
 * totals add up exactly) while `now` does not go back. But a station silent for hours or offline (it may never have
 * reported: a station that only counts) holds the settled point back, and so does a chain of overlapping periods of
 * stations active by turns: nothing would settle all shift. Past LIVE_PERIODS_CAP retained periods the sure reach
 * moves to `now - LIVE_LATENESS_MS`, and if that does not bring the list under the cap, `settleAssumed` cuts anyway.
 */
export class PeriodLeader {
  private from: number;
  /** [from, settledTo) is folded into the totals below; every retained period starts at or after it. */
  private settledTo: number;
  private soleMs = new Map<string, number>();
  private shiftingMs = new Map<string, number>();
  private retainedPeriods: ActivePeriod[] = [];

  /** `stations` in flow order (ties and the shares' order), `from` the period's start. */
  constructor(
    private readonly stations: readonly string[],
    from: number,
  ) {
    this.from = from;
    this.settledTo = from;
  }

  /** Closed active periods currently held (the rest is in the totals); for tests and metrics. */
  get retained(): number {
    return this.retainedPeriods.length;
  }

  /** Starts a new period: nothing carries over. */
  reset(from: number): void {
    this.from = from;
    this.settledTo = from;
    this.soleMs = new Map();
    this.shiftingMs = new Map();
    this.retainedPeriods = [];
  }

  /** A station's active period closed (already cut to the period's start). */
  add(period: ActivePeriod): void {
    const start = Math.max(period.start, this.settledTo);
    if (period.end > start) this.retainedPeriods.push({ station: period.station, start, end: period.end });
  }

  /**
   * The leader over `[from, max(now, from + 1))`. `ongoing` are the active periods still running (cut to the
   * period's start, ending at `now`); `frontier` has every station of the line (one missing: nothing settles).
   */
  value(
    ongoing: readonly ActivePeriod[],
    frontier: ReadonlyMap<string, StationFrontier>,
    now: number,
  ): PeriodLeaderValue {
    this.settle(ongoing, frontier, now);
    const to = Math.max(now, this.from + 1);
    const recentFrom = Math.min(this.settledTo, to);
    const recentMs = to - recentFrom;
    const recent = analyseBottleneck([...this.retainedPeriods, ...ongoing], {
      from: recentFrom,
      to,
      stations: this.stations,
    });
    const windowMs = to - this.from;
    const names = recent.shares.map((s) => s.station);
    for (const station of [...this.soleMs.keys(), ...this.shiftingMs.keys()]) {
      if (!names.includes(station)) names.push(station);
    }
    const recentShare = new Map(recent.shares.map((s) => [s.station, s]));
    const shares = names.map((station) => {
      const share = recentShare.get(station);
      const sole = (this.soleMs.get(station) ?? 0) + Math.round((share?.sole ?? 0) * recentMs);
      const shifting = (this.shiftingMs.get(station) ?? 0) + Math.round((share?.shifting ?? 0) * recentMs);
      return { station, sole: sole / windowMs, shifting: shifting / windowMs };
    });
    // The same choice as analyseBottleneck: largest sole, then largest shifting, then flow order.
    let best: BottleneckShare | null = null;
    for (const share of shares) {
      if (share.sole === 0 && share.shifting === 0) continue;
      if (!best || share.sole > best.sole || (share.sole === best.sole && share.shifting > best.shifting)) best = share;
    }
    return { station: best?.station ?? null, shares };
  }

  private settle(ongoing: readonly ActivePeriod[], frontier: ReadonlyMap<string, StationFrontier>, now: number): void {
    const capped = this.retainedPeriods.length > LIVE_PERIODS_CAP;
    const assumed = capped ? now - LIVE_LATENESS_MS : -Infinity;
    // Dominated: inside another station's ongoing period as far as it is sure to reach, and shorter than that.
    if (ongoing.length > 0) {
      const reach = ongoing.map((o) => ({
        ...o,
        sureEnd: Math.min(o.end, Math.max(frontier.get(o.station)?.lastChange ?? -Infinity, assumed)),
      }));
      this.retainedPeriods = this.retainedPeriods.filter(
        (p) =>
          !reach.some(
            (o) =>
              o.station !== p.station &&
              o.start <= p.start &&
              p.end <= o.sureEnd &&
              p.end - p.start < o.sureEnd - o.start,
          ),
      );
    }
    if (capped && this.retainedPeriods.length > LIVE_PERIODS_CAP) {
      this.settleAssumed(ongoing, frontier, now);
      return;
    }
    // Settled prefix: no period can start before the cut any more, and none straddles it.
    let cut = now;
    for (const station of this.stations) {
      const f = frontier.get(station);
      cut = Math.min(cut, f ? (f.activeSince ?? f.lastChange) : -Infinity);
    }
    for (const o of ongoing) cut = Math.min(cut, o.start);
    for (let moved = true; moved && cut > this.settledTo;) {
      moved = false;
      for (const p of this.retainedPeriods) {
        if (p.start < cut && p.end > cut) {
          cut = p.start;
          moved = true;
        }
      }
    }
    if (cut <= this.settledTo) return;
    // Nothing straddles the cut: the periods before it are all there is to analyse.
    this.fold(
      this.retainedPeriods.filter((p) => p.end <= cut),
      cut,
      cut,
    );
  }

  /**
   * Past LIVE_PERIODS_CAP, when the exact prefix cannot be settled: cuts where every station that has a state is
   * sure to have reported (or `now - LIVE_LATENESS_MS` if that is later), and at least LIVE_FORCED_SETTLE_BEHIND_MS
   * before `now`, whatever straddles the cut; offline stations are passed over (their next report counts from the
   * cut however old it is). The prefix gets the time the analysis of everything held up to `now` gives it; periods
   * reaching past the cut are kept from the cut on. An approximation near the cut (a straddling period is shorter
   * afterwards, and a period's length decides which is the bottleneck): within half a percentage point of the exact
   * shares for stations flapping every second (period-leader.spec.ts). The KPI endpoints stay exact.
   */
  private settleAssumed(
    ongoing: readonly ActivePeriod[],
    frontier: ReadonlyMap<string, StationFrontier>,
    now: number,
  ): void {
    let cut = now - LIVE_FORCED_SETTLE_BEHIND_MS;
    for (const station of this.stations) {
      const f = frontier.get(station);
      if (f) cut = Math.min(cut, Math.max(f.activeSince ?? f.lastChange, now - LIVE_LATENESS_MS));
    }
    if (cut <= this.settledTo) return;
    this.fold([...this.retainedPeriods, ...ongoing], cut, now);
  }

  /**
   * Folds `[settledTo, cut)` into the totals: its sole and shifting time by the analysis of `periods` over
   * `[settledTo, analysedTo)`. The retained periods reaching past the cut are kept from the cut on.
   */
  private fold(periods: readonly ActivePeriod[], cut: number, analysedTo: number): void {
    const window = { from: this.settledTo, to: analysedTo, stations: this.stations };
    const [settled] = bottleneckMsByBucket(periods, window, [[this.settledTo, cut]]);
    for (const [station, ms] of settled!) {
      this.soleMs.set(station, (this.soleMs.get(station) ?? 0) + ms.sole);
      this.shiftingMs.set(station, (this.shiftingMs.get(station) ?? 0) + ms.shifting);
    }
    const kept: ActivePeriod[] = [];
    for (const p of this.retainedPeriods) if (p.end > cut) kept.push({ ...p, start: Math.max(p.start, cut) });
    this.retainedPeriods = kept;
    this.settledTo = cut;
  }
}
