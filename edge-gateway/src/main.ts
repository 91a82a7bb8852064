#!/usr/bin/env node
import { loadGatewayConfig, redactUrl } from './config.js';
import { startGateway } from './gateway.js';
import { createLogger, describeError } from './logging/logger.js';
import { exitOnSignal } from './shutdown.js';

const loaded = loadGatewayConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`floorboard-gateway: invalid configuration\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`);
  process.exit(1);
}
const config = loaded.config;
const log = createLogger({ level: config.logLevel, fields: { gatewayId: config.gatewayId } });

try {
  const gateway = await startGateway(config, { logger: log, defaultMetrics: true });
  exitOnSignal(log, () => gateway.stop(3000));
  log.info('gateway starting', { port: gateway.httpPort, mqttUrl: redactUrl(config.mqttUrl) });
  await gateway.ready;
  log.info('gateway ready', {
    port: gateway.httpPort,
    mqttUrl: redactUrl(config.mqttUrl),
    serverUrl: config.serverUrl,
    dataDir: config.dataDir,
  });
} catch (error) {
  log.error('gateway failed to start', { error: describeError(error) });
  process.exit(1);
}
