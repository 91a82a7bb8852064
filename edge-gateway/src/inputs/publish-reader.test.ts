import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { PublishReader, type RawPublish } from './publish-reader.js';

/** A PUBLISH packet (MQTT 3.1.1 §3.3), remaining length in as many bytes as it needs. */
function publish(topic: string, payload: Buffer | string, qos: 0 | 1, messageId = 0, dup = false): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const body = Buffer.concat([
    Buffer.from([topicBytes.length >> 8, topicBytes.length & 0xff]),
    topicBytes,
    qos > 0 ? Buffer.from([messageId >> 8, messageId & 0xff]) : Buffer.alloc(0),
    Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8'),
  ]);
  return Buffer.concat([Buffer.from([0x30 | (dup ? 8 : 0) | (qos << 1)]), remainingLength(body.length), body]);
}

function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

const SUBACK = Buffer.from([0x90, 0x03, 0x00, 0x01, 0x01]);
const PINGRESP = Buffer.from([0xd0, 0x00]);
const PUBACK_OF_OURS = Buffer.from([0x40, 0x02, 0x00, 0x07]);
const QOS2 = Buffer.from([0x34, 0x07, 0x00, 0x01, 0x74, 0x00, 0x09, 0x68, 0x69]);

type Seen = { publish: RawPublish } | { mqtt: string };

/** Feeds `chunks` through a reader; records publishes and the bytes mqtt.js gets, in the order they happen. */
async function read(chunks: Buffer[], pauseEvery = 0): Promise<Seen[]> {
  const seen: Seen[] = [];
  const mqtt = new Writable({
    write(chunk: Buffer, _encoding, done) {
      seen.push({ mqtt: chunk.toString('hex') });
      // mqtt.js handles its packets a tick later.
      setImmediate(done);
    },
  });
  let count = 0;
  const reader = new PublishReader(mqtt, (p, resume) => {
    seen.push({ publish: { ...p, payload: Buffer.from(p.payload) } });
    count += 1;
    if (pauseEvery > 0 && count % pauseEvery === 0) {
      setImmediate(resume);
      return false;
    }
    return true;
  });
  for (const chunk of chunks) await new Promise<void>((resolve) => reader.write(chunk, () => resolve()));
  await new Promise<void>((resolve) => reader.end(resolve));
  return seen;
}

/** Consecutive mqtt.js writes joined, as one byte string per run (how they are cut depends on the chunks). */
function normalise(seen: Seen[]): (RawPublish | string)[] {
  const out: (RawPublish | string)[] = [];
  for (const s of seen) {
    const last = out.at(-1);
    if ('mqtt' in s) {
      if (typeof last === 'string') out[out.length - 1] = last + s.mqtt;
      else out.push(s.mqtt);
    } else out.push(s.publish);
  }
  return out;
}

const wire = Buffer.concat([
  SUBACK,
  publish('floorboard/v1/s/l/a/count', '{"ts":1,"good":1}', 1, 1),
  publish('floorboard/v1/s/l/b/count', '{"ts":2,"good":1}', 1, 65_535, true),
  PINGRESP,
  PUBACK_OF_OURS,
  publish('spBv1.0/g/DDATA/n/d', Buffer.from([0x08, 0x01, 0x12, 0x00]), 0),
  QOS2,
  publish('t/ü', Buffer.alloc(300, 7), 1, 256), // remaining length in two bytes, a multi-byte topic
  publish('t/empty', '', 1, 2),
]);

const expected: (RawPublish | string)[] = [
  SUBACK.toString('hex'),
  { topic: 'floorboard/v1/s/l/a/count', payload: Buffer.from('{"ts":1,"good":1}'), qos: 1, messageId: 1 },
  { topic: 'floorboard/v1/s/l/b/count', payload: Buffer.from('{"ts":2,"good":1}'), qos: 1, messageId: 65_535 },
  PINGRESP.toString('hex') + PUBACK_OF_OURS.toString('hex'),
  { topic: 'spBv1.0/g/DDATA/n/d', payload: Buffer.from([0x08, 0x01, 0x12, 0x00]), qos: 0, messageId: undefined },
  QOS2.toString('hex'),
  { topic: 't/ü', payload: Buffer.alloc(300, 7), qos: 1, messageId: 256 },
  { topic: 't/empty', payload: Buffer.alloc(0), qos: 1, messageId: 2 },
];

describe('PublishReader', () => {
  it('reads QoS 0 and 1 publishes and passes every other packet to mqtt.js, in wire order', async () => {
    expect(normalise(await read([wire]))).toEqual(expected);
  });

  it('gives the same result however the socket cuts the bytes', async () => {
    for (let cut = 1; cut < wire.length; cut++) {
      expect(normalise(await read([wire.subarray(0, cut), wire.subarray(cut)]))).toEqual(expected);
    }
    const bytes = Array.from({ length: wire.length }, (_, i) => wire.subarray(i, i + 1));
    expect(normalise(await read(bytes))).toEqual(expected);
  });

  it('reads nothing more while paused, and goes on where it stopped', async () => {
    expect(normalise(await read([wire, wire], 1))).toEqual([...expected, ...expected]);
    expect(normalise(await read([wire.subarray(0, 40), wire.subarray(40), wire], 2))).toEqual([
      ...expected,
      ...expected,
    ]);
  });

  it('leaves a malformed publish to mqtt.js', async () => {
    // Topic length 0x00ff, longer than the packet.
    const broken = Buffer.from([0x32, 0x04, 0x00, 0xff, 0x00, 0x01]);
    expect(normalise(await read([Buffer.concat([broken, PINGRESP])]))).toEqual([
      broken.toString('hex') + PINGRESP.toString('hex'),
    ]);
  });
});
