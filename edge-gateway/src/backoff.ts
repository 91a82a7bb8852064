/**
 * Exponential backoff with "full jitter" (a random delay between half and all of the current step),
 * so that many gateways losing the same server or broker do not come back in lockstep.
 */
export interface Backoff {
  next(): number;
  reset(): void;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  random?: () => number;
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initial = options.initialMs ?? 200;
  const max = options.maxMs ?? 10_000;
  const factor = options.factor ?? 2;
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next() {
      const step = Math.min(max, initial * factor ** attempt);
      attempt += 1;
      return Math.round(step / 2 + random() * (step / 2));
    },
    reset() {
      attempt = 0;
    },
  };
}
