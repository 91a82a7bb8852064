import type { LogFields, Logger } from './logger.js';

/**
 * Warns at most once per `intervalMs` for each key; the next line reports how many were suppressed.
 * Bad station input can arrive hundreds of times a second, and one log line per message would
 * drown the log (the metrics still count every one).
 */
export interface RateLimitedWarn {
  warn(key: string, msg: string, fields?: LogFields): void;
}

export function createRateLimitedWarn(
  logger: Logger,
  intervalMs = 10_000,
  now: () => number = Date.now,
): RateLimitedWarn {
  const windows = new Map<string, { loggedAt: number; suppressed: number }>();
  return {
    warn(key, msg, fields) {
      const t = now();
      const window = windows.get(key);
      if (window && t - window.loggedAt < intervalMs) {
        window.suppressed += 1;
        return;
      }
      const suppressed = window?.suppressed ?? 0;
      windows.set(key, { loggedAt: t, suppressed: 0 });
      logger.warn(msg, suppressed > 0 ? { ...fields, suppressedSinceLastLog: suppressed } : fields);
    },
  };
}
