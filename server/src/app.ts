import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { PlantFile } from '@floorboard/shared';
import { AppModule } from './app.module.js';
import { ensureSchema } from './database/ensure-schema.js';
import { JsonLogger } from './common/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { lockDataDir } from './embedded/data-dir-lock.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded/embedded-broker.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded/embedded-postgres.js';
import { requestContextMiddleware } from './modules/audit/request-context.js';
import { jsonBodies, rejectNulCharacters, requireJsonBodies, SecureIoAdapter, securityHeaders } from './security.js';

export interface RunningServer {
  httpUrl: string;
  brokerUrl: string;
  databaseUrl: string;
  app: NestExpressApplication;
  close(): Promise<void>;
}

export interface StartOptions {
  plant: PlantFile | null;
  /** Keep the embedded database in memory (tests) instead of under `dataDir`. */
  inMemoryDatabase?: boolean;
  logger?: JsonLogger | false;
}

const API_PREFIX = 'api/v1';
const NON_SPA_PREFIXES = ['/api/', '/socket.io/', '/health/', '/metrics'];

/** Starts embedded services where no real ones are configured, then the Nest app. */
export async function startServer(config: AppConfig, options: StartOptions): Promise<RunningServer> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn();
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      if (!options.inMemoryDatabase) {
        const lock = lockDataDir(config.dataDir);
        cleanups.push(() => lock.release());
      }
      const pg: EmbeddedPostgres = await startEmbeddedPostgres({
        dataDir: options.inMemoryDatabase ? undefined : path.join(config.dataDir, 'pglite'),
      });
      cleanups.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    let brokerUrl = config.mqttUrl;
    if (!brokerUrl) {
      const broker: EmbeddedBroker = await startEmbeddedBroker({ port: config.mqttPort });
      cleanups.push(() => broker.stop());
      brokerUrl = broker.url;
    }
    await ensureSchema(databaseUrl, config.databaseSchema);

    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRuntime({ config, databaseUrl, brokerUrl, plant: options.plant }),
      { logger: options.logger ?? new JsonLogger(config.logLevel), bodyParser: false, abortOnError: false },
    );
    app.set('trust proxy', config.trustProxy);
    app.disable('x-powered-by');
    app.use(securityHeaders());
    if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: false });
    app.use(requireJsonBodies);
    app.use(jsonBodies());
    app.use(rejectNulCharacters);
    // After the body parser, whose stream callbacks would leave the request context.
    app.use(requestContextMiddleware);
    app.useWebSocketAdapter(new SecureIoAdapter(app, config.corsOrigins));
    app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
    setUpOpenApi(app);
    serveDashboard(app, config.dashboardDir ?? defaultDashboardDir());
    cleanups.push(() => app.close());

    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address() as { port: number };
    return {
      httpUrl: `http://127.0.0.1:${address.port}`,
      brokerUrl,
      databaseUrl,
      app,
      close: cleanup,
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}

function setUpOpenApi(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Floorboard API')
      .setDescription(
        'Production-line coordination: lines, live state, ingest. Errors are {statusCode, code, message, details?}.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}

function defaultDashboardDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dashboard/dist');
}

/** Serves the built dashboard at `/` with a history-mode fallback to index.html. */
function serveDashboard(app: NestExpressApplication, dir: string): void {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return;
  app.useStaticAssets(dir, { index: false, maxAge: '1h' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const wantsPage = req.method === 'GET' && !NON_SPA_PREFIXES.some((p) => req.path.startsWith(p));
    if (!wantsPage) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
