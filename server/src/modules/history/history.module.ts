import { Module } from '@nestjs/common';
import { HistoryService } from './history.service.js';
import { KpiRollupStore } from './kpi-rollup.store.js';

/**
 * The persisted state intervals, per-minute counts and KPI rollups, written by ingest and read by KPIs and live
 * state.
 */
@Module({ providers: [HistoryService, KpiRollupStore], exports: [HistoryService, KpiRollupStore] })
export class HistoryModule {}
