import path from 'node:path';
import { collectDefaultMetrics } from 'prom-client';
import type { GatewayConfig } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { ensureDir } from './durable-file.js';
import { startHttpServer, type HealthReport } from './http/http-server.js';
import { createDispatcher } from './inputs/dispatcher.js';
import { startMqttSubscriber } from './inputs/mqtt-subscriber.js';
import type { Input } from './inputs/input.js';
import { createFloorboardJsonInput } from './inputs/native/floorboard-json-input.js';
import { createSparkplugHost } from './inputs/sparkplug/sparkplug-host.js';
import { createUmhInput } from './inputs/umh/umh-input.js';
import { startHeartbeat } from './sink/heartbeat.js';
import type { Logger } from './logging/logger.js';
import { silentLogger } from './logging/logger.js';
import { createRateLimitedWarn } from './logging/rate-limited.js';
import { createGatewayMetrics, registerOutboxGauges, type GatewayMetrics } from './metrics.js';
import { openFileOutbox } from './outbox/file-outbox.js';
import { createPipeline } from './pipeline/pipeline.js';
import { openSeqAllocator } from './pipeline/seq-allocator.js';
import { startSink, type SinkOptions } from './sink/http-sink.js';

/** Reported in the heartbeat. */
export const GATEWAY_VERSION = '0.1.0';

export interface StartGatewayOptions {
  logger?: Logger;
  /** Process metrics (CPU, memory, event loop); on in the real process, off for in-process tests. */
  defaultMetrics?: boolean;
  /** Sink tuning (batch size, linger, backoff); tests shorten the delays. */
  sink?: Pick<SinkOptions, 'batchSize' | 'lingerMs' | 'requestTimeoutMs' | 'backoff' | 'slowBackoff'>;
  /** Interface for /health and /metrics; default all interfaces. */
  httpHost?: string;
}

export interface RunningGateway {
  gatewayId: string;
  httpPort: number;
  metrics: GatewayMetrics;
  /** Resolves once the MQTT subscription is confirmed: from then on no station message is missed. */
  ready: Promise<void>;
  health(): HealthReport;
  /** Stops consuming, stores what is in flight, sends what it can within `flushTimeoutMs`, closes. */
  stop(flushTimeoutMs?: number): Promise<void>;
}

/** MQTT → inputs → pipeline (gatewayId, seq) → durable outbox → HTTP sink, plus /health and /metrics. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const log = options.logger ?? silentLogger;
  const dataDir = path.resolve(config.dataDir);
  await ensureDir(dataDir);
  const lock = await lockDataDir(dataDir);

  const metrics = createGatewayMetrics();
  if (options.defaultMetrics) collectDefaultMetrics({ register: metrics.registry });
  const [seq, outbox] = await Promise.all([
    openSeqAllocator(dataDir),
    openFileOutbox({
      dir: path.join(dataDir, 'outbox'),
      logger: log.child({ component: 'outbox' }),
      ...config.outbox,
    }),
  ]).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  registerOutboxGauges(metrics.registry, outbox);

  const pipeline = createPipeline({ gatewayId: config.gatewayId, seq, outbox });
  const inputLog = log.child({ component: 'inputs' });
  const warn = createRateLimitedWarn(inputLog, 10_000);
  // The subscriber is created after the inputs; the Sparkplug host publishes through it.
  let publish: (topic: string, payload: Buffer, o: { qos: 0 | 1; retain: boolean }) => Promise<void> = async () =>
    undefined;
  const inputs: Input[] = [];
  const { floorboardJson, umh, sparkplug } = config.inputs;
  if (floorboardJson.enabled) {
    const input = createFloorboardJsonInput({ sites: config.sites });
    inputs.push(floorboardJson.topicFilters ? { ...input, topicFilters: floorboardJson.topicFilters } : input);
  }
  if (umh.enabled) {
    inputs.push(
      createUmhInput({
        topicFilters: umh.topicFilters,
        overrides: umh.overrides,
        stateTable: umh.states.table,
        customStates: umh.states.custom,
        counters: umh.counters,
      }),
    );
  }
  if (sparkplug.enabled) {
    inputs.push(
      createSparkplugHost({
        hostId: sparkplug.hostId,
        topicFilters: sparkplug.topicFilters,
        reorderTimeoutMs: sparkplug.reorderTimeoutMs,
        metrics: sparkplug.metrics,
        stateTable: sparkplug.states.table,
        customStates: sparkplug.states.custom,
        counters: sparkplug.counters,
        nodes: sparkplug.nodes,
        publish: (topic, payload, o) => publish(topic, payload, o),
        emit: (events) => {
          pipeline
            .submit(events)
            .catch((error: unknown) => log.error('could not store held Sparkplug events', { error }));
        },
        onRebirthRequested: (reason) => metrics.rebirths.inc({ reason }),
        onWarning: (code, message, fields) => warn.warn(`sparkplug:${code}`, message, fields),
      }),
    );
  }
  const dispatcher = createDispatcher(inputs, { metrics, warn });
  const sessions = inputs.flatMap((i) => (i.session ? [i.session] : []));

  const sink = startSink({
    ...options.sink,
    serverUrl: config.serverUrl,
    token: config.ingestToken,
    gatewayId: config.gatewayId,
    outbox,
    metrics,
    logger: log.child({ component: 'sink' }),
  });

  const subscriber = startMqttSubscriber({
    url: config.mqttUrl,
    username: config.mqttUsername,
    password: config.mqttPassword,
    tls: config.tls,
    clientId: `floorboard-gw-${config.gatewayId}`,
    topicFilters: dispatcher.topicFilters,
    onMessage: ({ topic, payload, key }) => {
      const earlier = key === undefined ? undefined : pipeline.storedAlready(key);
      if (earlier) {
        // A broker redelivery of a message stored already (its PUBACK was lost in a crash or
        // reconnect): not decoded or stored again, acknowledged once the first copy is durable.
        metrics.duplicatesSkipped.inc();
        return earlier;
      }
      return pipeline.submit(dispatcher.dispatch(topic, payload), key);
    },
    will: () => sessions.find((h) => h.will)?.will?.(),
    onSubscribed: () => sessions.forEach((h) => h.onSubscribed?.()),
    metrics,
    logger: log.child({ component: 'mqtt' }),
  });
  publish = (topic, payload, o) => subscriber.publish(topic, payload, o);

  const health = (): HealthReport => {
    const sinkStatus = sink.status();
    const mqttConnected = subscriber.isConnected();
    return {
      status: mqttConnected && sinkStatus.reachable !== false ? 'ok' : 'degraded',
      gatewayId: config.gatewayId,
      mqtt: { connected: mqttConnected },
      server: {
        reachable: sinkStatus.reachable,
        lastAckAt: sinkStatus.lastAckAt === null ? null : new Date(sinkStatus.lastAckAt).toISOString(),
        lastError: sinkStatus.lastError,
      },
      outbox: {
        depth: outbox.depth(),
        oldestAgeSeconds: ((ms) => (ms === null ? null : ms / 1000))(outbox.oldestAgeMs()),
        dropped: outbox.dropped(),
      },
      inputs: inputs.map((i) => ({ name: i.name, topicFilters: [...i.topicFilters] })),
    };
  };

  const counterValue = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const metric = metrics.registry.getSingleMetric(name);
    if (!metric) return 0;
    const { values } = await metric.get();
    return values
      .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
      .reduce((sum, v) => sum + v.value, 0);
  };

  const heartbeat =
    config.heartbeatIntervalMs > 0
      ? startHeartbeat({
          serverUrl: config.serverUrl,
          token: config.ingestToken,
          intervalMs: config.heartbeatIntervalMs,
          logger: log.child({ component: 'heartbeat' }),
          report: async () => ({
            gatewayId: config.gatewayId,
            version: GATEWAY_VERSION,
            inputs: await Promise.all(
              inputs.map(async (i) => ({
                name: i.name,
                topicFilters: [...i.topicFilters],
                messages: await counterValue('floorboard_gateway_messages_total', { input: i.name }),
                decodeErrors: await counterValue('floorboard_gateway_decode_errors_total', { input: i.name }),
              })),
            ),
            outboxDepth: outbox.depth(),
            oldestAgeSeconds: ((ms) => (ms === null ? null : ms / 1000))(outbox.oldestAgeMs()),
            dropped: outbox.dropped(),
            lastAckAt: sink.status().lastAckAt,
            reconnects: await counterValue('floorboard_gateway_mqtt_reconnects_total'),
            rebirths: await counterValue('floorboard_gateway_sparkplug_rebirths_requested_total'),
            mqttConnected: subscriber.isConnected(),
          }),
        })
      : null;

  const http = await startHttpServer({
    port: config.httpPort,
    host: options.httpHost,
    registry: metrics.registry,
    health,
    logger: log.child({ component: 'http' }),
  }).catch(async (error: unknown) => {
    heartbeat?.stop();
    await subscriber.stop();
    await sink.stop(0);
    await outbox.close();
    await lock.release();
    throw new Error(`cannot serve /health and /metrics on port ${config.httpPort} (GATEWAY_PORT)`, { cause: error });
  });

  return {
    gatewayId: config.gatewayId,
    httpPort: http.port,
    metrics,
    ready: subscriber.subscribed,
    health,
    async stop(flushTimeoutMs = 3000) {
      heartbeat?.stop();
      await subscriber.stop(async () => {
        for (const h of sessions) await h.beforeDisconnect?.();
      });
      sessions.forEach((h) => h.close?.());
      await pipeline.drain();
      await sink.stop(flushTimeoutMs);
      await seq.close();
      await outbox.close();
      await http.close();
      await lock.release();
    },
  };
}
