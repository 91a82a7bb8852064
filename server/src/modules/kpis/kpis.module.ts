import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module.js';
import { LinesModule } from '../lines/lines.module.js';
import { StopsModule } from '../stops/stops.module.js';
import { KpisController } from './kpis.controller.js';
import { KpiPartialsService } from './kpi-partials.service.js';
import { KpiRollupRefresher } from './kpi-rollup-refresher.js';
import { KpisService } from './kpis.service.js';

/** Line KPIs and timelines over a window, from the persisted history and the KPI rollups. */
@Module({
  imports: [LinesModule, HistoryModule, StopsModule],
  controllers: [KpisController],
  providers: [KpisService, KpiPartialsService, KpiRollupRefresher],
})
export class KpisModule {}
