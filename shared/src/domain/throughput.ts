const MINUTE = 60_000;

export interface CountTotals {
  good: number;
  scrap: number;
  /** False when part of the asked range lies before the counter's retained history. */
  complete: boolean;
}

/**
 * Good and scrap counts of one station in per-minute buckets: a ring of `capacityMinutes` buckets
 * (bounded memory), O(1) per count event (moving the head forward clears the skipped buckets, each at most
 * once per minute of time). Late counts land in their own minute while it is retained; older ones are
 * refused and tallied in `refused`. Feed it event times no later than the server clock: a count far in the
 * future moves the head and ages out the history.
 */
export class RollingCounter {
  private readonly good: number[];
  private readonly scrap: number[];
  /** Absolute minute number (ts / 60 000, floored) of the newest bucket; null before the first count. */
  private head: number | null = null;
  /** Counts refused as older than the retained history. */
  refused = 0;

  constructor(readonly capacityMinutes = 24 * 60) {
    if (!Number.isInteger(capacityMinutes) || capacityMinutes < 1) {
      throw new RangeError('capacityMinutes must be a positive integer');
    }
    this.good = new Array<number>(capacityMinutes).fill(0);
    this.scrap = new Array<number>(capacityMinutes).fill(0);
  }

  /** Adds a count at event time `ts`. Returns false when `ts` is older than the retained history. */
  add(ts: number, good: number, scrap = 0): boolean {
    const minute = Math.floor(ts / MINUTE);
    if (this.head === null || minute > this.head) {
      const first = this.head === null ? minute : Math.max(this.head + 1, minute - this.capacityMinutes + 1);
      for (let m = first; m <= minute; m++) {
        this.good[this.slot(m)] = 0;
        this.scrap[this.slot(m)] = 0;
      }
      this.head = minute;
    } else if (minute <= this.head - this.capacityMinutes) {
      this.refused += 1;
      return false;
    }
    this.good[this.slot(minute)]! += good;
    this.scrap[this.slot(minute)]! += scrap;
    return true;
  }

  /**
   * Totals of the buckets whose minute starts in `[from, to)`, `from` rounded down to its minute (shift
   * starts are whole minutes, so a since-shift-start total is exact). O(minutes in the range).
   */
  total(from: number, to: number): CountTotals {
    const first = Math.floor(from / MINUTE);
    const last = Math.ceil(to / MINUTE) - 1;
    if (last < first) return { good: 0, scrap: 0, complete: true };
    if (this.head === null) return { good: 0, scrap: 0, complete: false };
    const oldest = this.head - this.capacityMinutes + 1;
    let good = 0;
    let scrap = 0;
    for (let m = Math.max(first, oldest); m <= Math.min(last, this.head); m++) {
      good += this.good[this.slot(m)]!;
      scrap += this.scrap[this.slot(m)]!;
    }
    return { good, scrap, complete: first >= oldest };
  }

  /**
   * The rolling window ending at `now`: the current (partial) minute and the `minutes − 1` whole minutes
   * before it, i.e. `[start of minute(now) − (minutes − 1) min, now)`, between minutes − 1 and `minutes` long.
   */
  rolling(now: number, minutes = 15): CountTotals & { from: number; to: number } {
    const from = rollingWindowFrom(now, minutes);
    return { ...this.total(from, now), from, to: now };
  }

  private slot(minute: number): number {
    return ((minute % this.capacityMinutes) + this.capacityMinutes) % this.capacityMinutes;
  }
}

/** Start of the rolling window ending at `now` (`RollingCounter.rolling`): the start of minute(now) − (minutes − 1) min. */
export function rollingWindowFrom(now: number, minutes = 15): number {
  return (Math.floor(now / MINUTE) - (minutes - 1)) * MINUTE;
}

export interface ThroughputInput {
  good: number;
  scrap: number;
  /** Span `[from, to)` the counts cover, epoch ms. */
  from: number;
  to: number;
  /** The target's ideal cycle time: the running work order's product, else the line's. */
  idealCycleSeconds: number;
}

export interface Throughput {
  good: number;
  scrap: number;
  /** good × 3600 / span seconds; null for an empty span. */
  unitsPerHour: number | null;
  /** 3600 / ideal cycle time; null when that is not positive. */
  targetPerHour: number | null;
}

/** Good units per hour over a span, against the target rate 3600 / ideal cycle time. */
export function throughputOver(input: ThroughputInput): Throughput {
  const spanMs = input.to - input.from;
  return {
    good: input.good,
    scrap: input.scrap,
    unitsPerHour: spanMs > 0 ? (input.good * 3_600_000) / spanMs : null,
    targetPerHour: input.idealCycleSeconds > 0 ? 3600 / input.idealCycleSeconds : null,
  };
}
