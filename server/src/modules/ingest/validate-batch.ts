import {
  describeIssues,
  ingestBatchSchema,
  stationEventSchema,
  type IngestRejection,
  type StationEvent,
} from '@floorboard/shared';
import { fastEnvelope, fastStationEvent } from './fast-event-check.js';

export interface ValidatedBatch {
  gatewayId: string;
  valid: StationEvent[];
  /** Rejections with the raw event, for the dead-letter table. */
  rejected: (IngestRejection & { raw: unknown })[];
  /** Repeats of a seq within this batch: acknowledged as duplicates. */
  repeatedInBatch: number;
}

export type BatchValidation = { ok: true; batch: ValidatedBatch } | { ok: false; message: string; details: string[] };

/**
 * Splits an ingest body into valid events and individual rejections (DESIGN.md §4.3).
 * Only a malformed envelope fails the whole request.
 */
export function validateIngestBatch(body: unknown): BatchValidation {
  // Well-formed input passes the fast checks; zod decides the rest and describes what is wrong.
  let envelope = fastEnvelope(body);
  if (!envelope) {
    const parsed = ingestBatchSchema.safeParse(body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error.issues);
      return { ok: false, message: `ingest body invalid: ${details.slice(0, 3).join('; ')}`, details };
    }
    envelope = parsed.data;
  }
  const { gatewayId, events } = envelope;
  const valid: StationEvent[] = [];
  const rejected: ValidatedBatch['rejected'] = [];
  const seen = new Set<number>();
  let repeatedInBatch = 0;
  for (const raw of events) {
    const seq = typeof raw.seq === 'number' && Number.isSafeInteger(raw.seq) ? raw.seq : null;
    let event = fastStationEvent(raw);
    if (!event) {
      const parsed = stationEventSchema.safeParse(raw);
      if (!parsed.success) {
        rejected.push({ seq, code: 'EVENT_INVALID', message: describeIssues(parsed.error.issues).join('; '), raw });
        continue;
      }
      event = parsed.data;
    }
    if (event.gatewayId !== gatewayId) {
      rejected.push({
        seq,
        code: 'EVENT_GATEWAY_MISMATCH',
        message: `event gatewayId "${event.gatewayId}" differs from the batch's "${gatewayId}"`,
        raw,
      });
      continue;
    }
    if (seen.has(event.seq)) {
      repeatedInBatch += 1;
      continue;
    }
    seen.add(event.seq);
    valid.push(event);
  }
  return { ok: true, batch: { gatewayId, valid, rejected, repeatedInBatch } };
}
