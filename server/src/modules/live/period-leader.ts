import { analyseBottleneck, type ActivePeriod, type BottleneckShare } from '@floorboard/shared';

/** Closed active periods a line holds before it settles on the assumption below rather than on certainty. */
export const LIVE_PERIODS_CAP = 1000;
/**
 * Past LIVE_PERIODS_CAP only: how late (event time behind the clock) a state change may still arrive and count
 * fully in the sole/shifting shares; an older one is clipped to the settled point. (The KPI endpoints read the
 * history and are exact whatever the delay.)
 */
export const LIVE_LATENESS_MS = 10 * 60_000;

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
 * totals add up exactly) while `now` does not go back. A station silent for hours holds the settled point back;
 * past LIVE_PERIODS_CAP retained periods the settled point and the sure reach move to `now - LIVE_LATENESS_MS`
 * as well, which stays exact for changes arriving less than that late.
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
    const assumed = this.retainedPeriods.length > LIVE_PERIODS_CAP ? now - LIVE_LATENESS_MS : -Infinity;
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
    // Settled prefix: no period can start before the cut any more, and none straddles it.
    let cut = now;
    for (const station of this.stations) {
      const f = frontier.get(station);
      cut = Math.min(cut, Math.max(f ? (f.activeSince ?? f.lastChange) : -Infinity, assumed));
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
    const spanMs = cut - this.settledTo;
    const settled = analyseBottleneck(
      this.retainedPeriods.filter((p) => p.end <= cut),
      { from: this.settledTo, to: cut, stations: this.stations },
    );
    for (const share of settled.shares) {
      this.soleMs.set(share.station, (this.soleMs.get(share.station) ?? 0) + Math.round(share.sole * spanMs));
      this.shiftingMs.set(
        share.station,
        (this.shiftingMs.get(share.station) ?? 0) + Math.round(share.shifting * spanMs),
      );
    }
    this.retainedPeriods = this.retainedPeriods.filter((p) => p.end > cut);
    this.settledTo = cut;
  }
}
