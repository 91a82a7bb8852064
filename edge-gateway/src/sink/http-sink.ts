import { createBackoff, type Backoff } from '../backoff.js';
import type { Logger } from '../logging/logger.js';
import { createRateLimitedWarn } from '../logging/rate-limited.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Outbox, OutboxBatch } from '../outbox/outbox.js';
import { postIngestBatch, type IngestOutcome } from './ingest-client.js';

export interface SinkOptions {
  serverUrl: string;
  token: string;
  gatewayId: string;
  outbox: Outbox;
  metrics: Pick<GatewayMetrics, 'eventsSent' | 'eventsRejected' | 'ingestFailures' | 'lastAckTimestamp'>;
  logger: Logger;
  /** Most events per request (the server accepts up to 5000). */
  batchSize?: number;
  /** How long to wait for a partial batch to fill up before sending it. */
  lingerMs?: number;
  requestTimeoutMs?: number;
  /** For network errors, 5xx and 429. */
  backoff?: Backoff;
  /** For 401/403 and other refusals, which need a person to fix something. */
  slowBackoff?: Backoff;
}

/** A request sent and not yet answered. */
interface InFlight {
  batch: OutboxBatch;
  outcome: Promise<IngestOutcome>;
}

export interface SinkStatus {
  /** Whether the last request got a 2xx answer; null before the first request. */
  reachable: boolean | null;
  lastAckAt: number | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export interface Sink {
  status(): SinkStatus;
  /** Sends what it can within `flushTimeoutMs`, then stops; the rest stays in the outbox. */
  stop(flushTimeoutMs: number): Promise<void>;
}

/**
 * Drains the outbox to `POST /api/v1/ingest/events` in the batches the outbox composes (oldest first; while a
 * backlog drains, each batch also carries the newest events), up to two requests at a time. A batch is
 * acknowledged in the outbox only after the server answered with its result (sent after its DB commit), and only
 * after the batch sent before it; every failure is retried, so no event is ever dropped here.
 */
export function startSink(options: SinkOptions): Sink {
  const { outbox, metrics, logger: log } = options;
  let batchSize = options.batchSize ?? 5000;
  const lingerMs = options.lingerMs ?? 50;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const backoff = options.backoff ?? createBackoff({ initialMs: 250, maxMs: 10_000 });
  const slowBackoff = options.slowBackoff ?? createBackoff({ initialMs: 5_000, maxMs: 60_000 });
  const warn = createRateLimitedWarn(log, 10_000);
  const status: SinkStatus = { reachable: null, lastAckAt: null, lastError: null, consecutiveFailures: 0 };

  let stopping = false;
  let deadline = Infinity;
  // Aborted at the flush deadline: cuts short any wait and the request in flight.
  const halt = new AbortController();
  let wake: (() => void) | null = null;
  const unsubscribe = outbox.onAppend(() => wake?.());

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (halt.signal.aborted) return resolve();
      const timer = setTimeout(done, Math.min(ms, deadline - Date.now()));
      halt.signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        halt.signal.removeEventListener('abort', done);
        resolve();
      }
    });

  const waitForEvents = () =>
    new Promise<void>((resolve) => {
      if (outbox.depth() > 0 || halt.signal.aborted || stopping) return resolve();
      wake = () => {
        wake = null;
        resolve();
      };
    });
  halt.signal.addEventListener('abort', () => wake?.(), { once: true });

  const onSuccess = async (sent: OutboxBatch, outcome: Extract<IngestOutcome, { kind: 'ok' }>) => {
    const batch = sent.events;
    await outbox.ackBatch(sent);
    const { accepted, duplicates, rejected } = outcome.result;
    metrics.eventsSent.inc(batch.length);
    metrics.lastAckTimestamp.set(Date.now() / 1000);
    if (status.consecutiveFailures > 0) {
      log.info('server reachable again', { afterFailures: status.consecutiveFailures, depth: outbox.depth() });
    }
    Object.assign(status, { reachable: true, lastAckAt: Date.now(), lastError: null, consecutiveFailures: 0 });
    backoff.reset();
    slowBackoff.reset();
    for (const r of rejected) metrics.eventsRejected.inc({ code: r.code });
    if (rejected.length > 0) {
      // Kept in the server's dead-letter table; the gateway cannot fix them, only report them.
      log.warn('server rejected events (kept in its dead-letter table)', {
        rejected: rejected.length,
        examples: rejected.slice(0, 3),
      });
    }
    if (accepted + duplicates + rejected.length !== batch.length) {
      log.warn('ingest answer does not add up to the batch size', {
        batch: batch.length,
        accepted,
        duplicates,
        rejected: rejected.length,
      });
    }
  };

  const onFailure = async (batch: OutboxBatch['events'], outcome: Exclude<IngestOutcome, { kind: 'ok' }>) => {
    status.reachable = false;
    status.consecutiveFailures += 1;
    status.lastError = outcome.kind === 'retry' ? outcome.message : `HTTP ${outcome.status} ${outcome.message}`;
    const fields = { events: batch.length, depth: outbox.depth(), failures: status.consecutiveFailures };
    let delayMs: number;
    if (outcome.kind === 'retry') {
      metrics.ingestFailures.inc({ reason: outcome.reason });
      delayMs = Math.max(outcome.retryAfterMs ?? 0, backoff.next());
      warn.warn(outcome.reason, 'ingest failed; will retry', { ...fields, error: outcome.message, delayMs });
    } else if (outcome.kind === 'auth') {
      metrics.ingestFailures.inc({ reason: 'auth' });
      delayMs = slowBackoff.next();
      log.error('server refused the ingest token (check FLOORBOARD_INGEST_TOKEN); will retry', {
        ...fields,
        status: outcome.status,
        delayMs,
      });
    } else {
      metrics.ingestFailures.inc({ reason: `http_${outcome.status}` });
      if (outcome.status === 413 && batchSize > 1) batchSize = Math.max(1, Math.floor(batchSize / 2));
      delayMs = outcome.status === 413 ? 0 : slowBackoff.next();
      log.error('server refused the ingest request; will retry', {
        ...fields,
        status: outcome.status,
        error: outcome.message,
        batchSize,
        delayMs,
      });
    }
    await sleep(delayMs);
  };

  const post = (batch: OutboxBatch): InFlight => ({
    batch,
    outcome: postIngestBatch({
      serverUrl: options.serverUrl,
      token: options.token,
      gatewayId: options.gatewayId,
      eventsJson: batch.events.map((e) => e.json),
      timeoutMs: requestTimeoutMs,
      signal: halt.signal,
    }),
  });

  /** Waits for a request's answer and acts on it; false when it failed. */
  const settle = async (sent: InFlight): Promise<boolean> => {
    const outcome = await sent.outcome;
    if (outcome.kind === 'ok') {
      await onSuccess(sent.batch, outcome);
      return true;
    }
    if (!halt.signal.aborted) await onFailure(sent.batch.events, outcome);
    return false;
  };

  // At most two requests at a time, so the server parses one batch while PostgreSQL commits the other. The second
  // goes out only while a full batch waits beyond the first, and is acknowledged only after the first; if the
  // first fails, the second's answer is not used (its events are sent again, which the server recognises).
  let inFlight: InFlight | null = null;

  const sendOnce = async () => {
    const previous = inFlight;
    inFlight = null;
    if (previous) {
      let next: InFlight | null = null;
      if (!halt.signal.aborted && outbox.depth() - previous.batch.events.length >= batchSize) {
        const batch = await outbox.nextBatch(batchSize, previous.batch);
        if (batch.events.length > 0) next = post(batch);
      }
      if (await settle(previous)) inFlight = next;
      return;
    }
    await waitForEvents();
    if (halt.signal.aborted) return;
    if (!stopping && outbox.depth() < batchSize) await sleep(lingerMs);
    const batch = await outbox.nextBatch(batchSize);
    if (batch.events.length > 0) inFlight = post(batch);
  };

  const loop = async () => {
    while (!halt.signal.aborted && !(stopping && outbox.depth() === 0)) {
      try {
        await sendOnce();
      } catch (error) {
        // Only the outbox throws here (disk trouble). Nothing was acked, so retrying loses nothing.
        log.error('outbox read or ack failed; will retry', { error });
        await sleep(backoff.next());
      }
    }
  };

  const running = loop();

  return {
    status: () => ({ ...status }),
    async stop(flushTimeoutMs) {
      stopping = true;
      deadline = Date.now() + flushTimeoutMs;
      wake?.();
      const timer = setTimeout(() => halt.abort(), flushTimeoutMs);
      await running;
      clearTimeout(timer);
      halt.abort();
      unsubscribe();
    },
  };
}
