/** `numerator / denominator`, or null when the denominator is 0 (never 0 or 1 by default). */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export interface OeeInput {
  /** PBT, seconds (time-model.ts). */
  plannedBusySeconds: number;
  /** OT = APT + micro-stops, seconds (time-model.ts). */
  operatingSeconds: number;
  /** PRU, the ideal cycle time per unit, seconds. */
  idealCycleSeconds: number;
  /** GQ. */
  good: number;
  /** SQ; produced PQ = good + scrap. */
  scrap: number;
}

export interface Oee {
  /** A = OT / PBT. */
  availability: number | null;
  /** P = PRU × PQ / OT; not clamped. */
  performance: number | null;
  /** Q = GQ / PQ. */
  quality: number | null;
  /** PRU × GQ / PBT (see computeOee). */
  oee: number | null;
  /** P > 1: the ideal cycle time is pessimistic (or counts are wrong). Shown, never clamped away. */
  performanceAboveIdeal: boolean;
  /** SQ / PQ. */
  scrapRatio: number | null;
}

/**
 * ISO 22400-2 OEE (STANDARDS.md §4): A = OT/PBT, P = PRU×PQ/OT, Q = GQ/PQ, OEE = A×P×Q.
 * The operating time OT includes micro-stops (time-model.ts), so they lower P, not A.
 * A×P×Q reduces to PRU×GQ/PBT, which is what is computed: the same number whenever A, P and Q are all
 * defined (and free of their rounding), and still defined when OT or PQ is 0, where a station that was
 * planned to work and produced nothing has OEE 0. Every ratio with a zero denominator is null, so OEE is
 * null only when PBT is 0 (or the ideal cycle time is not positive).
 */
export function computeOee(input: OeeInput): Oee {
  const { plannedBusySeconds: pbt, operatingSeconds: ot, idealCycleSeconds: pru, good, scrap } = input;
  const produced = good + scrap;
  const hasIdeal = pru > 0;
  const performance = hasIdeal ? ratioOrNull(pru * produced, ot) : null;
  return {
    availability: ratioOrNull(ot, pbt),
    performance,
    quality: ratioOrNull(good, produced),
    oee: hasIdeal ? ratioOrNull(pru * good, pbt) : null,
    performanceAboveIdeal: performance !== null && performance > 1,
    scrapRatio: ratioOrNull(scrap, produced),
  };
}

/** ISO 22400 throughput rate PQ / time, as units per hour; null for an empty time span. */
export function throughputRatePerHour(produced: number, seconds: number): number | null {
  return seconds > 0 ? (produced * 3600) / seconds : null;
}
