import path from 'node:path';
import { collectDefaultMetrics } from 'prom-client';
import type { GatewayConfig } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { ensureDir } from './durable-file.js';
import { startHttpServer, type HealthReport } from './http/http-server.js';
import { createDispatcher } from './inputs/dispatcher.js';
import { startMqttSubscriber } from './inputs/mqtt-subscriber.js';
import { createFloorboardJsonInput } from './inputs/native/floorboard-json-input.js';
import type { Logger } from './logging/logger.js';
import { silentLogger } from './logging/logger.js';
import { createRateLimitedWarn } from './logging/rate-limited.js';
import { createGatewayMetrics, registerOutboxGauges, type GatewayMetrics } from './metrics.js';
import { openFileOutbox } from './outbox/file-outbox.js';
import { createPipeline } from './pipeline/pipeline.js';
import { openSeqAllocator } from './pipeline/seq-allocator.js';
import { startSink, type SinkOptions } from './sink/http-sink.js';

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
    openFileOutbox({ dir: path.join(dataDir, 'outbox'), logger: log.child({ component: 'outbox' }) }),
  ]).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  registerOutboxGauges(metrics.registry, outbox);

  const pipeline = createPipeline({ gatewayId: config.gatewayId, seq, outbox });
  const inputLog = log.child({ component: 'inputs' });
  const dispatcher = createDispatcher([createFloorboardJsonInput({ sites: config.sites })], {
    metrics,
    warn: createRateLimitedWarn(inputLog, 10_000),
  });

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
    clientId: `floorboard-gw-${config.gatewayId}`,
    topicFilters: dispatcher.topicFilters,
    onMessage: (topic, payload) => pipeline.submit(dispatcher.dispatch(topic, payload)),
    metrics,
    logger: log.child({ component: 'mqtt' }),
  });

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
      },
    };
  };

  const http = await startHttpServer({
    port: config.httpPort,
    host: options.httpHost,
    registry: metrics.registry,
    health,
    logger: log.child({ component: 'http' }),
  }).catch(async (error: unknown) => {
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
      await subscriber.stop();
      await pipeline.drain();
      await sink.stop(flushTimeoutMs);
      await outbox.close();
      await http.close();
      await lock.release();
    },
  };
}
