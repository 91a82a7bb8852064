import { z } from 'zod';
import type { IngestResult } from '@floorboard/shared';
import { describeError } from '../logging/logger.js';

export const INGEST_PATH = '/api/v1/ingest/events';

const ingestResultSchema = z.object({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.array(z.object({ seq: z.number().int().nullable(), code: z.string(), message: z.string() })),
});

/** What one POST came to, in the terms the sink acts on. */
export type IngestOutcome =
  | { kind: 'ok'; result: IngestResult }
  /** Transient (network, timeout, 5xx, 429, unreadable answer): retry with backoff. */
  | { kind: 'retry'; reason: string; message: string; retryAfterMs?: number }
  /** 401/403: the ingest token is wrong; retry slowly until an operator fixes it. */
  | { kind: 'auth'; status: number; message: string }
  /** Other 4xx: the server refuses this request; never dropped, retried slowly and logged. */
  | { kind: 'refused'; status: number; message: string };

/**
 * The request body, `JSON.stringify({ gatewayId, events })` byte for byte, from each event's JSON as the outbox
 * stored it: a batch of thousands of events is not serialised a second time.
 */
export function ingestBody(gatewayId: string, eventsJson: readonly string[]): string {
  return `{"gatewayId":${JSON.stringify(gatewayId)},"events":[${eventsJson.join(',')}]}`;
}

export async function postIngestBatch(args: {
  serverUrl: string;
  token: string;
  gatewayId: string;
  /** Each event's canonical JSON (`JSON.stringify` of the StationEvent). */
  eventsJson: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<IngestOutcome> {
  const signals = [AbortSignal.timeout(args.timeoutMs), ...(args.signal ? [args.signal] : [])];
  let response: Response;
  try {
    response = await fetch(`${args.serverUrl}${INGEST_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${args.token}` },
      body: ingestBody(args.gatewayId, args.eventsJson),
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { kind: 'retry', reason: timedOut ? 'timeout' : 'network', message: describeError(error) };
  }

  const text = await response.text().catch(() => '');
  const status = response.status;
  if (status === 401 || status === 403) return { kind: 'auth', status, message: snippet(text) };
  if (status === 429 || status >= 500) {
    return {
      kind: 'retry',
      reason: status === 429 ? 'http_429' : 'http_5xx',
      message: `HTTP ${status} ${snippet(text)}`,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    };
  }
  if (status < 200 || status >= 300) return { kind: 'refused', status, message: snippet(text) };

  // Only a well-formed answer proves the commit; anything else is retried (the server deduplicates).
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'retry', reason: 'bad_response', message: `HTTP ${status} with a non-JSON body` };
  }
  const parsed = ingestResultSchema.safeParse(body);
  if (!parsed.success) return { kind: 'retry', reason: 'bad_response', message: `HTTP ${status}: unexpected body` };
  return { kind: 'ok', result: parsed.data };
}

function snippet(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}
