import { Module } from '@nestjs/common';
import { HistoryService } from './history.service.js';

/** The persisted state intervals and per-minute counts, written by ingest and read by KPIs and live state. */
@Module({ providers: [HistoryService], exports: [HistoryService] })
export class HistoryModule {}
