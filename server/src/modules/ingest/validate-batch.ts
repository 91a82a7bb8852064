import {
  describeIssues,
  ingestBatchSchema,
  stationEventSchema,
  type IngestRejection,
  type StationEvent,
} from '@floorboard/shared';

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
  const envelope = ingestBatchSchema.safeParse(body);
  if (!envelope.success) {
    const details = describeIssues(envelope.error.issues);
    return { ok: false, message: `ingest body invalid: ${details.slice(0, 3).join('; ')}`, details };
  }
  const { gatewayId, events } = envelope.data;
  const valid: StationEvent[] = [];
  const rejected: ValidatedBatch['rejected'] = [];
  const seen = new Set<number>();
  let repeatedInBatch = 0;
  for (const raw of events) {
    const seq = typeof raw.seq === 'number' && Number.isSafeInteger(raw.seq) ? raw.seq : null;
    const parsed = stationEventSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ seq, code: 'EVENT_INVALID', message: describeIssues(parsed.error.issues).join('; '), raw });
      continue;
    }
    if (parsed.data.gatewayId !== gatewayId) {
      rejected.push({
        seq,
        code: 'EVENT_GATEWAY_MISMATCH',
        message: `event gatewayId "${parsed.data.gatewayId}" differs from the batch's "${gatewayId}"`,
        raw,
      });
      continue;
    }
    if (seen.has(parsed.data.seq)) {
      repeatedInBatch += 1;
      continue;
    }
    seen.add(parsed.data.seq);
    valid.push(parsed.data);
  }
  return { ok: true, batch: { gatewayId, valid, rejected, repeatedInBatch } };
}
