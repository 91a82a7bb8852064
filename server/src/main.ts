import 'reflect-metadata';
import { DEMO_PLANT, type PlantFile } from '@floorboard/shared';
import { startServer } from './app.js';
import { redact } from './broker/broker-connection.service.js';
import { JsonLogger } from './common/json-logger.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { isPortFree } from './embedded/port-check.js';
import { readPlantFile } from './modules/lines/plant-file.js';

function fail(lines: string[]): never {
  process.stderr.write(lines.join('\n') + '\n');
  process.exit(1);
}

function resolvePlant(config: AppConfig): PlantFile | null {
  if (config.plantFile) {
    const result = readPlantFile(config.plantFile);
    if (!result.ok) {
      fail([
        `Floorboard cannot start: the plant file FLOORBOARD_PLANT=${config.plantFile} is invalid (${result.code}):`,
        ...result.errors.map((e) => `  - ${e}`),
      ]);
    }
    return result.plant;
  }
  // Demo mode (embedded database): the demo plant; with a real database the topology is already stored.
  return config.databaseUrl ? null : DEMO_PLANT;
}

async function checkPorts(config: AppConfig): Promise<void> {
  const problems: string[] = [];
  if (!(await isPortFree(config.port, config.host))) {
    problems.push(
      `  - HTTP port ${config.port} is already in use. Choose another one, e.g. PORT=${config.port + 1} npm start`,
    );
  }
  if (!config.mqttUrl && !(await isPortFree(config.mqttPort))) {
    problems.push(
      `  - MQTT port ${config.mqttPort} is already in use (often a Mosquitto broker). Either use that broker with ` +
        `MQTT_URL=mqtt://127.0.0.1:${config.mqttPort}, or move the embedded broker, e.g. MQTT_PORT=${config.mqttPort + 1} npm start`,
    );
  }
  if (problems.length > 0) fail(['Floorboard cannot start:', ...problems]);
}

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) fail(['Floorboard cannot start: invalid configuration:', ...loaded.errors.map((e) => `  - ${e}`)]);
  const config = loaded.config;
  const plant = resolvePlant(config);
  await checkPorts(config);

  const logger = new JsonLogger(config.logLevel);
  const server = await startServer(config, { plant, logger });
  logger.log(
    {
      msg: 'server ready',
      http: server.httpUrl,
      mqtt: redact(server.brokerUrl),
      database: config.databaseUrl ? 'external' : `embedded (${config.dataDir}/pglite)`,
      broker: config.mqttUrl ? 'external' : 'embedded',
    },
    'Bootstrap',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal }, 'Bootstrap');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  // The signals that stop the server gracefully are these; not Nest's shutdown hooks, which also took SIGUSR2 (the
  // signal given to node's --heapsnapshot-signal to take a heap snapshot of a running server: test/README.md).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

main().catch((error: unknown) => {
  fail([`Floorboard cannot start: ${(error as Error).message ?? String(error)}`]);
});
