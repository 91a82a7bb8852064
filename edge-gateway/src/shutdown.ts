import { describeError, type Logger } from './logging/logger.js';

/**
 * On SIGINT/SIGTERM runs `stop` once and exits 0 (1 if stopping failed). A second signal, or
 * `stop` taking longer than `hardLimitMs`, exits at once: a stuck shutdown must not hang a deploy.
 */
export function exitOnSignal(log: Logger, stop: () => Promise<void>, hardLimitMs = 10_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn('second signal; exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => {
      log.error('shutdown took too long; exiting', { hardLimitMs });
      process.exit(1);
    }, hardLimitMs).unref();
    stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', { error: describeError(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
