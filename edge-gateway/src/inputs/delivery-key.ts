import { hash } from 'node:crypto';

const ZERO_BYTE = Buffer.from([0]);

/**
 * `<packet id>:<hash>`: identifies one QoS 1 delivery across a broker's redeliveries. The hash is the first
 * 16 base64url characters of SHA-1 over topic, a zero byte and payload. The outbox keeps these keys on disk
 * to recognise redeliveries after a restart, so the format must never change.
 */
export function deliveryKey(messageId: number, topic: string, payload: Buffer): string {
  const digest = hash('sha1', Buffer.concat([Buffer.from(topic, 'utf8'), ZERO_BYTE, payload]), 'base64url');
  return `${messageId}:${digest.slice(0, 16)}`;
}
