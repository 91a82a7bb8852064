import {
  classifyStops,
  computeOee,
  expectsOutput,
  isActiveState,
  isStopState,
  keepStationText,
  MomentaryBottleneckTracker,
  RollingCounter,
  STATION_STATES,
  stopCost,
  stopPartBuckets,
  throughputOver,
  type ActivePeriod,
  type ReasonBuckets,
  type StateInterval,
  type StopClassification,
  type StopCost,
  type LineLiveMetrics,
  type LivePeriod,
  type StationState,
} from '@floorboard/shared';
import { PeriodLeader, type StationFrontier } from './period-leader.js';

export interface LineMetricsConfig {
  /** Flow order; the last is the output station. */
  stations: readonly string[];
  outputIdealCycleSeconds: number;
  lineIdealCycleSeconds: number;
  microStopSeconds: number;
}

/** Without state changes the period's sole/shifting analysis (it walks the period's active periods) is reused this long. */
const PERIOD_BOTTLENECK_REUSE_MS = 10_000;

/** Event times the line andon rules read besides the metrics. */
export interface LineAndonSignals {
  /** The momentary bottleneck (first of the tied; null: no station active) and since when it has been that. */
  bottleneck: { station: string | null; since: number | null };
  /** Since when the output station has been in output-expected states without interruption; null: not now. */
  outputExpectedSince: number | null;
}

/** A re-sum of the output station's closed stops, taken before reading them from the history (`stopsResum`). */
export interface StopsResum {
  generation: number;
  /** Read the output station's intervals from the period's start (and the one in force then) ... */
  periodStart: number;
  /** ... up to here: the stops beginning before it are the closed ones it replaces. */
  cutoff: number;
  /** The closed stops' cost when it was taken. */
  costBefore: StopCost;
}

interface Current {
  state: StationState;
  since: number;
  /** The station's own text for the state (a stop's reason). */
  reason: string | null;
}

/**
 * One line's live metrics over the current period, advanced per state change and count (O(1) each; nothing
 * rescans history): rolling and period throughput of the output station (a RollingCounter), the output
 * station's time model and OEE (closed intervals summed as they close, the ongoing one added at read time),
 * the momentary bottleneck (MomentaryBottleneckTracker) and the period's sole/shifting leader (active periods
 * collected as they end in a PeriodLeader, which folds settled ones into totals so memory stays bounded over a
 * shift; analysed again after a change of activity or 10 s). Like the live station state it takes state changes in
 * event-time order only; late and backfilled events reach the KPI endpoints through the history instead.
 */
export class LineMetrics {
  private period: LivePeriod;
  private readonly counter = new RollingCounter(26 * 60);
  private good = 0;
  private scrap = 0;
  /** Output station: ms per state of closed intervals inside the period, and its micro-stop ms. */
  private closedMs = zeroMs();
  private microMs = 0;
  /**
   * What the reasons of the output station's closed stops change (planned stops, speed losses). The stops themselves
   * are not kept (a flapping station closes thousands a shift): when a coordinator classifies one or the catalogue
   * changes, they are read back from the history and summed again (`stopsResum`, `setReasons`).
   */
  private closedStopCost = zeroCost();
  /** Counts the re-sums applied: a re-sum read before another was applied is read again. */
  private resums = 0;
  private classifications: readonly StopClassification[] = [];
  private bucketOf = stopPartBuckets(undefined);
  private readonly current = new Map<string, Current>();
  private readonly activeSince = new Map<string, number | null>();
  /** The period's closed active periods, folded into totals once settled (bounded over a long shift). */
  private readonly periods: PeriodLeader;
  private tracker: MomentaryBottleneckTracker;
  private leader: { at: number; value: LineLiveMetrics['bottleneck']['period'] } | null = null;
  /** The momentary bottleneck (first of the tied) and the event time it became that. */
  private momentary: { station: string | null; since: number | null } = { station: null, since: null };
  /** Since when the output station has been in output-expected states without interruption; null: not now. */
  private expectedSince: number | null = null;

  constructor(
    private readonly config: LineMetricsConfig,
    period: LivePeriod,
  ) {
    this.period = period;
    this.tracker = new MomentaryBottleneckTracker(config.stations);
    this.periods = new PeriodLeader(config.stations, period.start);
  }

  /** Closed active periods held in memory for the period leader (the rest is kept as totals). */
  get retainedActivePeriods(): number {
    return this.periods.retained;
  }

  get currentPeriod(): LivePeriod {
    return this.period;
  }

  /** What the line andon rules need beyond the metrics (event times). */
  get andonSignals(): LineAndonSignals {
    return { bottleneck: { ...this.momentary }, outputExpectedSince: this.expectedSince };
  }

  private get output(): string {
    return this.config.stations[this.config.stations.length - 1]!;
  }

  /**
   * The catalogue's OEE buckets and the coordinators' classifications of the output station's stops (of the period
   * and any stop reaching into it): what each stop's time costs from now on. Stops closed already are summed again
   * from `closed`: the output station's intervals from the history, read after `stopsResum()` (from its
   * `periodStart` up to its `cutoff`); without it nothing may have closed yet (start-up, before the replay). False,
   * and nothing changed, when the re-sum is stale (another was applied or the period moved on since it was taken):
   * read it again.
   */
  setReasons(
    reasons: ReasonBuckets | undefined,
    classifications: readonly StopClassification[],
    closed?: { resum: StopsResum; intervals: readonly StateInterval[] },
  ): boolean {
    if (closed && (closed.resum.generation !== this.resums || closed.resum.periodStart !== this.period.start)) {
      return false;
    }
    this.bucketOf = stopPartBuckets(reasons);
    this.classifications = classifications;
    if (closed) {
      const { resum, intervals } = closed;
      // Stops closed after the re-sum was taken begin at or after its cutoff: they keep the cost they were given.
      const sum = subtractCost({ ...this.closedStopCost }, resum.costBefore);
      for (const interval of intervals) {
        if (interval.station !== this.output || !isStopState(interval.state) || interval.start >= resum.cutoff)
          continue;
        addCost(sum, this.costOf({ ...interval, end: Math.min(interval.end, resum.cutoff) }));
      }
      this.closedStopCost = sum;
      this.resums += 1;
    }
    this.noteOutputExpected();
    return true;
  }

  /**
   * What a re-sum of the closed stops reads from the history (the output station's intervals from `periodStart` to
   * `cutoff`, and the classifications from the earliest of them): taken right before the reads, passed to
   * `setReasons` with what they found.
   */
  stopsResum(): StopsResum {
    const out = this.current.get(this.output);
    return {
      generation: this.resums,
      periodStart: this.period.start,
      // The output station's current state is not closed: everything before it is.
      cutoff: out ? Math.min(out.since, this.period.end) : this.period.start,
      costBefore: { ...this.closedStopCost },
    };
  }

  /** Sets a station's state without closing anything: start-up, before any change is applied. */
  seedState(station: string, state: StationState, since: number, reason: string | null = null): void {
    this.current.set(station, { state, since, reason });
    const active = isActiveState(state) ? since : null;
    this.activeSince.set(station, active);
    this.tracker.seed(station, active);
    this.leader = null;
    if (station === this.output) this.expectedSince = this.expectsOutput(this.current.get(station)!) ? since : null;
    this.noteMomentary(since);
  }

  /** Corrects the start of an active station's ongoing active period (it may predate its current state). */
  seedActivePeriod(station: string, activeSince: number): void {
    const current = this.current.get(station);
    if (!current || !isActiveState(current.state)) return;
    const start = Math.min(activeSince, current.since);
    this.activeSince.set(station, start);
    this.tracker.seed(station, start);
    this.leader = null;
    this.noteMomentary(start);
  }

  /**
   * A state change at `ts` (the live reducer's `since`); the caller drops late ones, as the reducer does. A
   * station that never reported is offline since it was configured, so its first state may be older than that.
   */
  applyState(station: string, state: StationState, ts: number, reason: string | null = null): void {
    const previous = this.current.get(station) ?? { state: 'offline', since: ts, reason: null };
    if (station === this.output) {
      this.close(previous, ts);
      if (!this.expectsOutput({ state, since: ts, reason })) this.expectedSince = null;
      else if (this.expectedSince === null) this.expectedSince = ts;
    }
    const wasActive = isActiveState(previous.state);
    const active = isActiveState(state);
    if (wasActive && !active) {
      const start = Math.max(this.activeSince.get(station) ?? previous.since, this.period.start);
      if (ts > start) this.periods.add({ station, start, end: ts });
      this.activeSince.set(station, null);
    } else if (!wasActive && active) {
      this.activeSince.set(station, ts);
    }
    this.current.set(station, { state, since: ts, reason });
    this.tracker.apply(station, state, ts);
    if (wasActive !== active) {
      this.leader = null;
      this.noteMomentary(ts);
    }
  }

  /** The station gave its current state (a stop) a reason, or another one. */
  applyReason(station: string, reason: string | null): void {
    const current = this.current.get(station);
    if (!current) return;
    current.reason = reason;
    if (station === this.output) this.noteOutputExpected();
  }

  /** A count of the output station at event time `ts`. */
  applyCount(station: string, ts: number, good: number, scrap: number): void {
    if (station !== this.output) return;
    this.counter.add(ts, good, scrap);
    if (ts >= this.period.start && ts < this.period.end) {
      this.good += good;
      this.scrap += scrap;
    }
  }

  /** Moves to a new period: sums restart from its start; counts since then come from the rolling counter. */
  startPeriod(period: LivePeriod, now: number): void {
    this.period = period;
    this.closedMs = zeroMs();
    this.microMs = 0;
    this.closedStopCost = zeroCost();
    this.periods.reset(period.start);
    this.leader = null;
    const totals = this.counter.total(period.start, now + 1);
    this.good = totals.good;
    this.scrap = totals.scrap;
  }

  metrics(now: number): LineLiveMetrics {
    const { start } = this.period;
    const rolling = this.counter.rolling(now, 15);
    const target = throughputOver({
      good: 0,
      scrap: 0,
      from: 0,
      to: 1,
      idealCycleSeconds: this.config.lineIdealCycleSeconds,
    });
    const since = throughputOver({
      good: this.good,
      scrap: this.scrap,
      from: start,
      to: now,
      idealCycleSeconds: this.config.lineIdealCycleSeconds,
    });
    const ms = { ...this.closedMs };
    let micro = this.microMs;
    const cost = { ...this.closedStopCost };
    const out = this.current.get(this.output);
    if (out) {
      const inside = now - Math.max(out.since, start);
      if (inside > 0) {
        ms[out.state] += inside;
        if (out.state === 'down' && now - out.since < this.config.microStopSeconds * 1000) micro += inside;
        if (isStopState(out.state)) {
          addCost(
            cost,
            this.costOf({ station: this.output, state: out.state, reason: out.reason, start: out.since, end: now }),
          );
        }
      }
    }
    const elapsed = Math.max(0, now - start);
    let covered = 0;
    for (const state of STATION_STATES) covered += ms[state];
    const offline = ms.offline + Math.max(0, elapsed - covered);
    // Planned stops (by their reasons) leave planned busy time; speed losses count as operating time.
    const pbt = elapsed - ms.break - ms.maintenance - offline - cost.plannedMs;
    const operating = ms.running + micro - cost.plannedMicroMs + cost.performanceMs;
    const oee = computeOee({
      plannedBusySeconds: pbt / 1000,
      operatingSeconds: operating / 1000,
      idealCycleSeconds: this.config.outputIdealCycleSeconds,
      good: this.good,
      scrap: this.scrap,
    });
    const momentary = this.tracker.current(now);
    return {
      period: { ...this.period },
      throughput: {
        unitsPerHour: now > rolling.from ? (rolling.good * 3_600_000) / (now - rolling.from) : null,
        targetPerHour: target.targetPerHour ?? 0,
        periodUnitsPerHour: since.unitsPerHour,
        good: this.good,
        scrap: this.scrap,
      },
      oee: { availability: oee.availability, performance: oee.performance, quality: oee.quality, oee: oee.oee },
      bottleneck: {
        station: momentary?.stations[0] ?? null,
        kind: 'momentary',
        tied: momentary?.stations ?? [],
        activeSince: momentary?.activeSince ?? null,
        period: this.periodLeader(now),
      },
    };
  }

  private periodLeader(now: number): LineLiveMetrics['bottleneck']['period'] {
    if (this.leader && now >= this.leader.at && now - this.leader.at < PERIOD_BOTTLENECK_REUSE_MS) {
      return this.leader.value;
    }
    const ongoing: ActivePeriod[] = [];
    for (const [station, since] of this.activeSince) {
      if (since !== null && now > Math.max(since, this.period.start)) {
        ongoing.push({ station, start: Math.max(since, this.period.start), end: now });
      }
    }
    // An offline station has no known frontier: it may never have reported (its first state can be older than
    // its seed), or its gateway may deliver a backlog of older events.
    const frontier = new Map<string, StationFrontier>();
    for (const [station, current] of this.current) {
      if (current.state === 'offline') continue;
      frontier.set(station, { lastChange: current.since, activeSince: this.activeSince.get(station) ?? null });
    }
    const value = this.periods.value(ongoing, frontier, now);
    this.leader = { at: now, value };
    return value;
  }

  /** After an activity change at `ts`: when the momentary bottleneck is another station now, it became it at `ts`. */
  private noteMomentary(ts: number): void {
    const station = this.tracker.current(ts)?.stations[0] ?? null;
    if (station !== this.momentary.station) this.momentary = { station, since: station === null ? null : ts };
  }

  /** The output station's interval `[previous.since, end)` closes: its part inside the period is summed. */
  private close(previous: Current, end: number): void {
    const inside = Math.min(end, this.period.end) - Math.max(previous.since, this.period.start);
    if (inside <= 0) return;
    this.closedMs[previous.state] += inside;
    if (previous.state === 'down' && end - previous.since < this.config.microStopSeconds * 1000) this.microMs += inside;
    if (isStopState(previous.state)) {
      const stop = { station: this.output, state: previous.state, reason: previous.reason, start: previous.since, end };
      addCost(this.closedStopCost, this.costOf(stop));
    }
  }

  /**
   * Whether the line is expected to produce with its output station in `current` (line-below-target): not on a
   * planned stop, by state or by the reason of the stop's latest part.
   */
  private expectsOutput(current: Current): boolean {
    if (!expectsOutput(current.state)) return false;
    if (!isStopState(current.state)) return true;
    const ongoing = { station: this.output, ...current, start: current.since, end: Number.MAX_SAFE_INTEGER };
    const parts = classifyStops([ongoing], this.classifications, keepStationText);
    return this.bucketOf(parts[parts.length - 1]!) !== 'excluded';
  }

  /**
   * The output station's ongoing stop got a reason, or a coordinator's: a planned one ends the stretch of
   * output-expected time; an unplanned one continues it from the stop's start. (A past stop reclassified as
   * planned does not move the stretch's start.)
   */
  private noteOutputExpected(): void {
    const out = this.current.get(this.output);
    if (!out) return;
    if (!this.expectsOutput(out)) this.expectedSince = null;
    else if (this.expectedSince === null) this.expectedSince = out.since;
  }

  /** A stop's cost inside the period. */
  private costOf(stop: StateInterval): StopCost {
    const window = { from: this.period.start, to: this.period.end };
    return stopCost(stop, this.classifications, this.bucketOf, this.config.microStopSeconds * 1000, window);
  }
}

function zeroCost(): StopCost {
  return { plannedMs: 0, plannedMicroMs: 0, performanceMs: 0 };
}

function addCost(sum: StopCost, cost: StopCost): void {
  sum.plannedMs += cost.plannedMs;
  sum.plannedMicroMs += cost.plannedMicroMs;
  sum.performanceMs += cost.performanceMs;
}

function subtractCost(sum: StopCost, cost: StopCost): StopCost {
  sum.plannedMs -= cost.plannedMs;
  sum.plannedMicroMs -= cost.plannedMicroMs;
  sum.performanceMs -= cost.performanceMs;
  return sum;
}

function zeroMs(): Record<StationState, number> {
  return Object.fromEntries(STATION_STATES.map((s) => [s, 0])) as Record<StationState, number>;
}
