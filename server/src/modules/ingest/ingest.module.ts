import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module.js';
import { LinesModule } from '../lines/lines.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestService } from './ingest.service.js';

@Module({
  imports: [LinesModule, HistoryModule],
  controllers: [IngestController],
  providers: [IngestService],
})
export class IngestModule {}
