import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { createBackoff, type Backoff } from '../backoff.js';
import { describeError, type Logger } from '../logging/logger.js';
import { deliveryKey } from './delivery-key.js';
import { readPublishesOf } from './publish-reader.js';
import type { GatewayMetrics } from '../metrics.js';

export interface MqttTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  rejectUnauthorized?: boolean;
}

export interface MqttWill {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
}

/** What the subscriber knows about one delivery. */
export interface Delivery {
  topic: string;
  payload: Buffer;
  qos: number;
  /**
   * `<packet id>:<hash of topic and payload>` for QoS 1, stable across a broker's redelivery of
   * the same message; undefined for QoS 0 (never redelivered).
   */
  key?: string;
}

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  tls?: MqttTls;
  /** Stable across restarts: with `clean: false` the broker keeps our session and queues for us. */
  clientId: string;
  topicFilters: readonly string[];
  /**
   * Handles one message; its PUBACK is sent only after the promise resolves (nothing is acked
   * before it is stored). Called in arrival order without waiting for earlier promises, so stores
   * are grouped; PUBACKs go out in arrival order.
   */
  onMessage(delivery: Delivery): Promise<void>;
  /** Called before every connect attempt: the Will to register with the broker (Sparkplug STATE). */
  will?: () => MqttWill | undefined;
  /** Called after every confirmed subscription (e.g. to publish a Sparkplug STATE birth). */
  onSubscribed?: () => void;
  metrics: Pick<GatewayMetrics, 'mqttConnected' | 'mqttReconnects'>;
  logger: Logger;
  backoff?: Backoff;
  /** Most messages read but not yet acknowledged; reading pauses above it. */
  maxUnacked?: number;
}

export interface MqttSubscriber {
  isConnected(): boolean;
  /** Resolves the first time the subscription is confirmed by the broker. */
  readonly subscribed: Promise<void>;
  /** Publishes on the gateway's own connection (Sparkplug NCMD/STATE); dropped while offline. */
  publish(topic: string, payload: Buffer | string, options: { qos: 0 | 1; retain?: boolean }): Promise<void>;
  /** Stops taking messages, lets those in progress be stored and acknowledged, then disconnects. */
  stop(beforeDisconnect?: () => Promise<void>): Promise<void>;
}

/** Passed to mqtt.js's handleMessage callback: "go on reading, we send the PUBACK ourselves". */
class DeferredAck extends Error {}
// One instance for every message: constructing an Error captures a stack trace, which cost more than
// everything else the gateway does per message (profiled).
const DEFERRED_ACK = new DeferredAck('PUBACK deferred until the message is stored');

/**
 * Messages of one connection whose stores share one promise (the outbox commits appends in groups): one
 * reaction per group rather than per message, and their PUBACKs go out in one socket write.
 */
interface AckGroup {
  stored: Promise<void>;
  connection: number;
  /** Packet ids of its QoS 1 messages, in arrival order. */
  messageIds: number[];
  /** Topic of its first message, for the log should the store fail. */
  topic: string;
  done: boolean;
  failed: boolean;
}

/** PUBACK (MQTT 3.1.1 §3.4): fixed header 0x40, remaining length 2, packet id big-endian. */
function pubackBytes(messageIds: readonly number[]): Buffer {
  const bytes = Buffer.allocUnsafe(4 * messageIds.length);
  messageIds.forEach((id, i) => {
    bytes[4 * i] = 0x40;
    bytes[4 * i + 1] = 2;
    bytes.writeUInt16BE(id, 4 * i + 2);
  });
  return bytes;
}

/**
 * MQTT 3.1.1 (aedes has no MQTT 5), QoS 1, persistent session, with group commit:
 * PUBLISH packets are read off the socket by a PublishReader (publish-reader.ts; mqtt.js keeps the session: connect,
 * subscribe, keepalive, our own publishes) and handed on without waiting for their stores; reading pauses
 * only while `maxUnacked` messages wait. Each message's store promise releases its PUBACK, in arrival order
 * (MQTT 3.1.1 §4.6), once it and all before it are durable. So one fsync covers every message that
 * arrived meanwhile, and their PUBACKs are written to the socket together (a PUBACK is four bytes; building
 * each through mqtt.js's packet writer cost more than the rest of the acknowledgement, profiled). A PUBACK
 * is only ever sent on the connection the message came in on; after a reconnect the broker redelivers
 * what was not acknowledged and the outbox recognises it by key.
 * Reconnects are ours rather than mqtt.js's fixed-period timer, so they back off with jitter; we
 * resubscribe on every connect because a broker without persistence forgets the session.
 */
export function startMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const { logger: log, metrics } = options;
  const backoff = options.backoff ?? createBackoff({ initialMs: 500, maxMs: 10_000 });
  const maxUnacked = options.maxUnacked ?? 5000;
  let stopping = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let connection = 0;
  // Oldest first; `unacked` counts the QoS 1 messages in them.
  const groups: AckGroup[] = [];
  let unacked = 0;
  let resume: (() => void) | null = null;
  let markSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => (markSubscribed = resolve));

  const tls = options.tls ?? {};
  const connectOptions: IClientOptions = {
    clientId: options.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    keepalive: 30,
    username: options.username,
    password: options.password,
    queueQoSZero: false,
    // mqtt.js traces every packet through `debug` even when it is off; a no-op is cheaper (profiled).
    // DEBUG=mqttjs* still works: then its own logger is used.
    log: process.env.DEBUG?.includes('mqttjs') ? undefined : () => undefined,
    ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
    cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
    key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    will: options.will?.(),
    manualConnect: true,
  };
  const client = mqtt.connect(options.url, connectOptions);
  // Every connection's socket is read through a PublishReader (see there); a connection is counted when its socket
  // is made, so the messages that follow its CONNACK belong to it even before mqtt.js emits `connect` (which waits
  // for our own unacknowledged publishes to be sent again).
  const internals = client as unknown as { streamBuilder?: (c: MqttClient) => Duplex };
  const buildStream = internals.streamBuilder;
  if (typeof buildStream !== 'function') throw new Error('mqtt.js without a stream builder: cannot read its socket');
  internals.streamBuilder = (c) => {
    const stream = buildStream(c);
    const own = (connection += 1);
    readPublishesOf(stream, (publish, resumeReading) => {
      // Left in the buffer of a connection closed or given up since: the broker redelivers it on the next one, and
      // its PUBACK must never go out on another connection (where its packet id means another message).
      if (own !== connection) return true;
      if (receive(publish.topic, publish.payload, publish.qos, publish.messageId)) return true;
      resume = resumeReading;
      return false;
    });
    return stream;
  };

  // PUBACKs released but not yet written, all of connection `ackConnection`: written once per event-loop turn
  // (groups of several fsyncs often finish in the same turn), as each socket write costs the gateway and the
  // broker far more than its bytes (profiled).
  let ackIds: number[] = [];
  let ackConnection = -1;
  let ackScheduled = false;
  const writeAcks = () => {
    ackScheduled = false;
    const ids = ackIds;
    ackIds = [];
    if (ids.length > 0 && ackConnection === connection && client.connected) client.stream.write(pubackBytes(ids));
  };

  const releaseAcks = () => {
    while (groups.length > 0 && (groups[0] as AckGroup).done) {
      const group = groups.shift() as AckGroup;
      unacked -= group.messageIds.length;
      if (group.messageIds.length > 0 && !group.failed && group.connection === connection && client.connected) {
        if (ackConnection !== connection) {
          ackIds = [];
          ackConnection = connection;
        }
        for (const id of group.messageIds) ackIds.push(id);
        if (!ackScheduled) {
          ackScheduled = true;
          setImmediate(writeAcks);
        }
      }
    }
    if (resume && unacked < maxUnacked) {
      const r = resume;
      resume = null;
      r();
    }
  };

  /** Takes one message; false when reading must pause until enough stored messages are acknowledged. */
  const receive = (topic: string, payload: Buffer, qos: number, messageId: number | undefined): boolean => {
    // While stopping nothing is stored or acknowledged: the broker redelivers it to our next session.
    if (stopping) return true;
    const key = messageId !== undefined ? deliveryKey(messageId, topic, payload) : undefined;
    const stored = options.onMessage({ topic, payload, qos, key });
    const last = groups.at(-1);
    const group = last && last.stored === stored && last.connection === connection ? last : joinNewGroup(stored, topic);
    if (messageId !== undefined) {
      group.messageIds.push(messageId);
      unacked += 1;
    }
    return unacked < maxUnacked;
  };

  // Publishes the PublishReader leaves to mqtt.js (QoS 2, which our QoS 1 subscription never gets) come here.
  client.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const messageId = packet.qos > 0 ? packet.messageId : undefined;
    if (receive(packet.topic, payload, packet.qos, messageId)) callback(DEFERRED_ACK);
    else resume = () => callback(DEFERRED_ACK);
  };

  const joinNewGroup = (stored: Promise<void>, topic: string): AckGroup => {
    const group: AckGroup = { stored, connection, messageIds: [], topic, done: false, failed: false };
    groups.push(group);
    stored.then(
      () => {
        group.done = true;
        releaseAcks();
      },
      (error: unknown) => {
        log.error('could not store station messages; reconnecting so the broker redelivers them', {
          topic: group.topic,
          messages: group.messageIds.length,
          error: describeError(error),
        });
        Object.assign(group, { done: true, failed: true });
        // Everything read after it on this connection is redelivered too (no PUBACK goes out).
        connection += 1;
        releaseAcks();
        client.end(true, () => scheduleReconnect());
      },
    );
    return group;
  };

  const scheduleReconnect = () => {
    if (stopping || reconnectTimer) return;
    const delayMs = backoff.next();
    log.warn('mqtt connection closed; reconnecting', { delayMs });
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (stopping) return;
      metrics.mqttReconnects.inc();
      client.options.will = options.will?.();
      client.reconnect();
    }, delayMs);
  };

  client.on('connect', (connack) => {
    backoff.reset();
    metrics.mqttConnected.set(1);
    log.info('mqtt connected', { sessionPresent: connack.sessionPresent });
    client.subscribe([...options.topicFilters], { qos: 1 }, (error, granted) => {
      const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
      if (error || refused.length > 0) {
        log.error('mqtt subscription refused', { error: error ? describeError(error) : undefined, refused });
        return;
      }
      log.info('mqtt subscribed', { topics: options.topicFilters });
      markSubscribed();
      options.onSubscribed?.();
    });
  });

  client.on('error', (error) => {
    // CONNACK return codes 4 (bad user name or password) and 5 (not authorised): say which settings to fix.
    const returnCode = (error as { code?: unknown }).code;
    if (returnCode === 4 || returnCode === 5) {
      log.error('mqtt broker refused the credentials; check MQTT_USERNAME / MQTT_PASSWORD (retrying)', {
        error: describeError(error),
        returnCode,
        username: options.username ?? null,
      });
      return;
    }
    log.warn('mqtt error', { error: describeError(error) });
  });

  client.on('close', () => {
    metrics.mqttConnected.set(0);
    // PUBACKs of the closed connection are never sent: the broker redelivers those messages.
    connection += 1;
    if (resume) {
      const r = resume;
      resume = null;
      r();
    }
    scheduleReconnect();
  });

  client.connect();

  return {
    isConnected: () => client.connected,
    subscribed,
    async publish(topic, payload, publishOptions) {
      if (!client.connected) return;
      await client.publishAsync(topic, payload, { qos: publishOptions.qos, retain: publishOptions.retain ?? false });
    },
    async stop(beforeDisconnect) {
      stopping = true;
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      await Promise.allSettled(groups.map((g) => g.stored));
      writeAcks();
      if (beforeDisconnect && client.connected) await beforeDisconnect().catch(() => undefined);
      // A graceful DISCONNECT flushes the last PUBACKs; force it if the broker is unreachable.
      const graceful = client.endAsync(false).catch(() => undefined);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref());
      if ((await Promise.race([graceful, timeout])) === 'timeout') await client.endAsync(true).catch(() => undefined);
    },
  };
}
