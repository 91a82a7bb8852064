import mqtt from 'mqtt';
import { createBackoff, type Backoff } from '../backoff.js';
import { describeError, type Logger } from '../logging/logger.js';
import type { GatewayMetrics } from '../metrics.js';

export interface MqttSubscriberOptions {
  url: string;
  username?: string;
  password?: string;
  /** Stable across restarts: with `clean: false` the broker keeps our session and queues for us. */
  clientId: string;
  topicFilters: readonly string[];
  /** Handles one message; the PUBACK is sent only after it resolves (so nothing is acked before it is stored). */
  onMessage(topic: string, payload: Buffer): Promise<void>;
  metrics: Pick<GatewayMetrics, 'mqttConnected' | 'mqttReconnects'>;
  logger: Logger;
  backoff?: Backoff;
}

export interface MqttSubscriber {
  isConnected(): boolean;
  /** Resolves the first time the subscription is confirmed by the broker. */
  readonly subscribed: Promise<void>;
  /** Stops taking messages, lets the one in progress finish and be acknowledged, then disconnects. */
  stop(): Promise<void>;
}

/**
 * MQTT 3.1.1 (aedes has no MQTT 5), QoS 1, persistent session. Reconnects are ours rather than
 * mqtt.js's fixed-period timer, so they back off with jitter; we resubscribe on every connect
 * because a broker without persistence (aedes restart) forgets the session.
 */
export function startMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const { logger: log, metrics } = options;
  const backoff = options.backoff ?? createBackoff({ initialMs: 500, maxMs: 10_000 });
  let stopping = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let inProgress: Promise<void> = Promise.resolve();
  let markSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => (markSubscribed = resolve));

  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    keepalive: 30,
    username: options.username,
    password: options.password,
  });

  // mqtt.js processes incoming packets one at a time and sends the PUBACK when this callback runs.
  client.handleMessage = (packet, callback) => {
    if (stopping) {
      // Not acknowledged: the broker redelivers it to our next session.
      callback(new Error('gateway stopping'));
      return;
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    inProgress = options.onMessage(packet.topic, payload).then(
      () => callback(),
      (error: unknown) => {
        log.error('could not store station message; reconnecting so the broker redelivers it', {
          topic: packet.topic,
          error: describeError(error),
        });
        callback(error instanceof Error ? error : new Error(String(error)));
        client.end(true);
      },
    );
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
    });
  });

  client.on('error', (error) => {
    log.warn('mqtt error', { error: describeError(error) });
  });

  client.on('close', () => {
    metrics.mqttConnected.set(0);
    if (stopping || reconnectTimer) return;
    const delayMs = backoff.next();
    log.warn('mqtt connection closed; reconnecting', { delayMs });
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (stopping) return;
      metrics.mqttReconnects.inc();
      client.reconnect();
    }, delayMs);
  });

  return {
    isConnected: () => client.connected,
    subscribed,
    async stop() {
      stopping = true;
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      await inProgress.catch(() => undefined);
      // A graceful DISCONNECT flushes the last PUBACK; force it if the broker is unreachable.
      const graceful = client.endAsync(false).catch(() => undefined);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref());
      if ((await Promise.race([graceful, timeout])) === 'timeout') await client.endAsync(true).catch(() => undefined);
    },
  };
}
