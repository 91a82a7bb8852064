import { hash } from 'node:crypto';

const ZERO_BYTE = Buffer.from([0]);
/** Topic, zero byte and payload are copied here rather than into fresh buffers for every message (profiled). */
const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * `<packet id>:<hash>`: identifies one QoS 1 delivery across a broker's redeliveries. The hash is the first
 * 16 base64url characters of SHA-1 over topic, a zero byte and payload. The outbox keeps these keys on disk
 * to recognise redeliveries after a restart, so the format must never change.
 */
export function deliveryKey(messageId: number, topic: string, payload: Buffer): string {
  return `${messageId}:${hash('sha1', hashInput(topic, payload), 'base64url').slice(0, 16)}`;
}

function hashInput(topic: string, payload: Buffer): Buffer {
  // A UTF-8 topic takes at most three bytes per UTF-16 unit.
  if (topic.length * 3 + 1 + payload.length > scratch.length) {
    return Buffer.concat([Buffer.from(topic, 'utf8'), ZERO_BYTE, payload]);
  }
  const topicBytes = scratch.write(topic, 0, 'utf8');
  scratch[topicBytes] = 0;
  payload.copy(scratch, topicBytes + 1);
  return scratch.subarray(0, topicBytes + 1 + payload.length);
}
