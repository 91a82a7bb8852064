import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { PlantFile } from '@floorboard/shared';
import { BROKER_URL, BrokerConnectionService } from './broker/broker-connection.service.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { typeormOptions } from './database/typeorm-options.js';
import { HealthController } from './health/health.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AndonModule } from './modules/andon/andon.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { GatewaysModule } from './modules/gateways/gateways.module.js';
import { IngestModule } from './modules/ingest/ingest.module.js';
import { KpisModule } from './modules/kpis/kpis.module.js';
import { BOOT_PLANT } from './modules/lines/plant-bootstrap.service.js';
import { LinesModule } from './modules/lines/lines.module.js';
import { StopsModule } from './modules/stops/stops.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';

/** What boot resolved before Nest starts: real or embedded service URLs and the plant to apply. */
export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  brokerUrl: string;
  plant: PlantFile | null;
}

@Module({})
export class AppModule {
  static forRuntime(runtime: AppRuntime): DynamicModule {
    const runtimeProviders = {
      module: AppModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: BROKER_URL, useValue: runtime.brokerUrl },
        { provide: BOOT_PLANT, useValue: runtime.plant },
      ],
      exports: [APP_CONFIG, BROKER_URL, BOOT_PLANT],
    };
    return {
      ...runtimeProviders,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => typeormOptions(runtime.databaseUrl, runtime.config.databaseSchema),
        }),
        MetricsModule,
        AuditModule,
        AuthModule,
        LinesModule,
        IngestModule,
        KpisModule,
        GatewaysModule,
        StopsModule,
        AndonModule,
        RealtimeModule,
      ],
      controllers: [HealthController],
      providers: [
        ...runtimeProviders.providers,
        BrokerConnectionService,
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
    };
  }
}
