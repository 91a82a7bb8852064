import { Writable, type Duplex } from 'node:stream';

/** One PUBLISH packet as read off the wire (MQTT 3.1.1 §3.3). */
export interface RawPublish {
  topic: string;
  /** A view into the socket's buffer: the bytes stay valid (Node never reuses a chunk it handed out). */
  payload: Buffer;
  qos: 0 | 1;
  /** Packet identifier, QoS 1 only. */
  messageId: number | undefined;
}

/**
 * Takes one PUBLISH; returns false to pause reading (too many messages unacknowledged), after which nothing more is
 * read until `resume` (given with the call) runs.
 */
export type PublishHandler = (publish: RawPublish, resume: () => void) => boolean;

/**
 * Makes the next `stream.pipe(destination)` (mqtt.js's, once per connection) go through a {@link PublishReader}, so
 * QoS 0 and 1 PUBLISH packets are read here and everything else reaches mqtt.js unchanged and in order.
 */
export function readPublishesOf(stream: Duplex, onPublish: PublishHandler): void {
  const pipe = stream.pipe.bind(stream);
  stream.pipe = (<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    pipe(new PublishReader(destination as unknown as Writable, onPublish), options);
    return destination;
  }) as typeof stream.pipe;
}

/**
 * MQTT 3.1.1 framing between the socket and mqtt.js's packet parser. mqtt.js parses each packet through a buffer list
 * into a fresh object and hands it on one `process.nextTick` at a time, which was about a fifth of the gateway's CPU
 * per message (profiled); this reads a PUBLISH straight out of the chunk. Other packets (CONNACK, SUBACK, PINGRESP,
 * the PUBACKs of our own publishes, QoS 2 and anything malformed) are passed to mqtt.js as bytes; the packets after
 * them wait until mqtt.js has handled them, so the order of events is that of the wire.
 */
export class PublishReader extends Writable {
  /** Bytes of an incomplete packet at the end of the last chunk. */
  private rest: Buffer | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  private done: ((error?: Error | null) => void) | null = null;
  private readonly resume = () => this.parse();

  constructor(
    private readonly mqtt: Writable,
    private readonly onPublish: PublishHandler,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.buffer = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    this.offset = 0;
    this.done = done;
    this.parse();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.mqtt.end();
    done();
  }

  /** Reads on from `offset`; returns when the chunk is used up, or reading pauses, or mqtt.js has packets to handle. */
  private parse(): void {
    const buf = this.buffer;
    let pos = this.offset;
    // Start of a run of packets for mqtt.js, passed on together.
    let passFrom = -1;
    while (pos < buf.length) {
      const start = pos;
      // Fixed header: type and flags, then the remaining length in 1-4 bytes (§2.2.3).
      let length = 0;
      let multiplier = 1;
      let i = pos + 1;
      let lengthEnd = -1;
      while (i < buf.length && i < pos + 5) {
        const byte = buf[i++] as number;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          lengthEnd = i;
          break;
        }
      }
      if (lengthEnd < 0) {
        if (i >= pos + 5) {
          // Malformed: mqtt.js reports it and closes the connection.
          if (passFrom < 0) passFrom = start;
          pos = buf.length;
        }
        break;
      }
      const end = lengthEnd + length;
      if (end > buf.length) break;
      const first = buf[start] as number;
      const qos = (first >> 1) & 3;
      const publish = first >> 4 === 3 && qos < 2 ? readPublish(buf, lengthEnd, end, qos as 0 | 1) : null;
      if (!publish) {
        if (passFrom < 0) passFrom = start;
        pos = end;
        continue;
      }
      if (passFrom >= 0) {
        this.offset = start;
        this.pass(buf.subarray(passFrom, start));
        return;
      }
      pos = end;
      if (!this.onPublish(publish, this.resume)) {
        this.offset = pos;
        return;
      }
    }
    this.offset = pos;
    if (passFrom >= 0) {
      this.pass(buf.subarray(passFrom, pos));
      return;
    }
    if (pos < buf.length) this.rest = buf.subarray(pos);
    const done = this.done;
    this.done = null;
    done?.();
  }

  /** Hands packets to mqtt.js and reads on once it has handled them. */
  private pass(packets: Buffer): void {
    this.mqtt.write(packets, (error) => {
      if (error) {
        // mqtt.js has closed this connection (and reports why); what is left of it is not read.
        this.rest = null;
        const done = this.done;
        this.done = null;
        done?.();
        return;
      }
      this.parse();
    });
  }
}

/** The PUBLISH in `buf[from, end)` (after the fixed header), or null if it is malformed (left to mqtt.js). */
function readPublish(buf: Buffer, from: number, end: number, qos: 0 | 1): RawPublish | null {
  if (end - from < 2) return null;
  const topicEnd = from + 2 + buf.readUInt16BE(from);
  const payloadStart = topicEnd + (qos > 0 ? 2 : 0);
  if (payloadStart > end) return null;
  return {
    topic: buf.toString('utf8', from + 2, topicEnd),
    payload: buf.subarray(payloadStart, end),
    qos,
    messageId: qos > 0 ? buf.readUInt16BE(topicEnd) : undefined,
  };
}
