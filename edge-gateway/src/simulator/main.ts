#!/usr/bin/env node
import mqtt from 'mqtt';
import { redactUrl } from '../config.js';
import { createLogger, describeError } from '../logging/logger.js';
import { exitOnSignal } from '../shutdown.js';
import { loadSimulatorConfig } from './config.js';
import { loadPlant } from './plant-loader.js';
import { createPlantSimulation } from './plant-simulation.js';
import { startPublishing } from './publisher.js';

const loaded = loadSimulatorConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(
    `floorboard-simulator: invalid configuration\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`,
  );
  process.exit(1);
}
const config = loaded.config;
const log = createLogger({ level: config.logLevel, fields: { component: 'simulator' } });

try {
  const plant = await loadPlant(config.plantFile);
  const simulation = createPlantSimulation(plant, {
    seed: config.seed,
    startTs: Date.now(),
    bufferCapacity: config.bufferCapacity,
  });
  const client = mqtt.connect(config.mqttUrl, {
    clientId: `floorboard-sim-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 2000,
    username: config.mqttUsername,
    password: config.mqttPassword,
  });
  client.on('connect', () => log.info('mqtt connected'));
  client.on('error', (error) => log.warn('mqtt error', { error: describeError(error) }));
  client.on('offline', () => log.warn('mqtt offline; messages are queued until it is back'));

  const publishing = startPublishing({
    simulation,
    client,
    speed: config.speed,
    onError: (error) => log.warn('publish failed', { error: describeError(error) }),
  });
  exitOnSignal(log, async () => {
    await publishing.stop();
    await client.endAsync(false);
  });
  log.info('simulator started', {
    mqttUrl: redactUrl(config.mqttUrl),
    seed: config.seed,
    speed: config.speed,
    bufferCapacity: simulation.bufferCapacity,
    plant: config.plantFile ?? 'demo',
    lines: plant.lines.map((l) => `${l.site}/${l.key} (${l.stations.length} stations)`),
  });
} catch (error) {
  log.error('simulator failed to start', { error: describeError(error) });
  process.exit(1);
}
