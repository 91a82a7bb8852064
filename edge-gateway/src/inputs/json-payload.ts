import type { DecodeError } from './input.js';

/** Station messages are small; anything larger is a misrouted stream, not a station payload. */
export const MAX_JSON_PAYLOAD_BYTES = 16 * 1024;

/** Parses a JSON MQTT payload, or says why it can't (size first, so huge garbage is never parsed). */
export function parseJsonPayload(payload: Buffer): { json: unknown } | { error: DecodeError } {
  if (payload.length > MAX_JSON_PAYLOAD_BYTES) {
    return { error: { code: 'PAYLOAD_TOO_LARGE', message: `payload of ${payload.length} bytes` } };
  }
  try {
    return { json: JSON.parse(payload.toString('utf8')) as unknown };
  } catch {
    return { error: { code: 'PAYLOAD_NOT_JSON', message: 'payload is not valid JSON' } };
  }
}
