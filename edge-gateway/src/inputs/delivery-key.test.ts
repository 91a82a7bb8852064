import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { deliveryKey } from './delivery-key.js';

describe('deliveryKey', () => {
  it('keeps the format stored by earlier versions (streamed SHA-1 of topic, NUL, payload)', () => {
    const topic = 'floorboard/v1/plant-a/assembly-1/paint/state';
    const payload = Buffer.from('{"ts":1736148600000,"state":"running"}');
    const earlier = `17:${createHash('sha1').update(topic).update('\0').update(payload).digest('base64url').slice(0, 16)}`;
    expect(deliveryKey(17, topic, payload)).toBe(earlier);
  });

  it('keeps the format for payloads too large for its scratch buffer', () => {
    const topic = 'spBv1.0/plant-a/DDATA/node-1/dev-ü';
    const payload = Buffer.alloc(70 * 1024, 7);
    const earlier = `3:${createHash('sha1').update(topic).update('\0').update(payload).digest('base64url').slice(0, 16)}`;
    expect(deliveryKey(3, topic, payload)).toBe(earlier);
    // The scratch buffer holds nothing over from the long message.
    const short = Buffer.from('x');
    expect(deliveryKey(4, 'a', short)).toBe(
      `4:${createHash('sha1').update('a').update('\0').update(short).digest('base64url').slice(0, 16)}`,
    );
  });

  it('differs by packet id, topic and payload', () => {
    const p = Buffer.from('x');
    const keys = new Set([
      deliveryKey(1, 'a/b', p),
      deliveryKey(2, 'a/b', p),
      deliveryKey(1, 'a/c', p),
      deliveryKey(1, 'a/b', Buffer.from('y')),
    ]);
    expect(keys.size).toBe(4);
  });
});
