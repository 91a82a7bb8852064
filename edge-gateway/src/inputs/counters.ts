/** How a station's counter values arrive: as increments per message, or as a running total. */
export type CounterMode = 'increments' | 'cumulative';

/**
 * Turns running totals into increments, per counter key. The first value only sets the baseline.
 * A value below the previous one is a rollover when the counter has a known width and the drop
 * is more than half its range (the counter wrapped past its maximum); otherwise a reset (the PLC
 * restarted its count), and the new value itself is the increment since the reset.
 */
export interface CumulativeCounters {
  /** The increment since the last value of `key`, or null for the first value seen. */
  next(key: string, value: number, max?: number): number | null;
  /** Forgets a baseline (the next value starts a new one). */
  forget(key: string): void;
}

export function createCumulativeCounters(): CumulativeCounters {
  const last = new Map<string, number>();
  return {
    next(key, value, max) {
      const previous = last.get(key);
      last.set(key, value);
      if (previous === undefined) return null;
      if (value >= previous) return value - previous;
      if (max !== undefined && previous - value > max / 2) return max - previous + 1 + value;
      return value;
    },
    forget(key) {
      last.delete(key);
    },
  };
}
