import type { GatewayHeartbeat } from '@floorboard/shared';
import { describeError, type Logger } from '../logging/logger.js';
import { createRateLimitedWarn } from '../logging/rate-limited.js';

export const HEARTBEAT_PATH = '/api/v1/gateways/heartbeat';

/**
 * Posts the gateway's vital signs (outbox depth and age, dropped events, last ack, reconnects,
 * rebirths, inputs) to the server every `intervalMs`, so the admin sees gateways that lag or are
 * gone. Failures are logged (rate-limited) and never affect event delivery.
 */
export function startHeartbeat(options: {
  serverUrl: string;
  token: string;
  intervalMs: number;
  logger: Logger;
  report(): Promise<GatewayHeartbeat>;
}): { stop(): void; beat(): Promise<boolean> } {
  const warn = createRateLimitedWarn(options.logger, 60_000);
  let stopped = false;
  const beat = async (): Promise<boolean> => {
    try {
      const body = await options.report();
      const res = await fetch(`${options.serverUrl}${HEARTBEAT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      await res.text().catch(() => '');
      if (!res.ok) warn.warn(`http_${res.status}`, 'heartbeat refused', { status: res.status });
      return res.ok;
    } catch (error) {
      if (!stopped) warn.warn('network', 'heartbeat failed', { error: describeError(error) });
      return false;
    }
  };
  const first = setTimeout(() => void beat(), Math.min(1000, options.intervalMs));
  const timer = setInterval(() => void beat(), options.intervalMs);
  first.unref();
  timer.unref();
  return {
    beat,
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
