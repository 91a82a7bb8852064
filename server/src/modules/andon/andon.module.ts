import { Module } from '@nestjs/common';
import { LinesModule } from '../lines/lines.module.js';
import { AndonController } from './andon.controller.js';
import { AndonService } from './andon.service.js';

/** Andon rules and alerts (raised, cleared, acknowledged), pushed to the line rooms. */
@Module({
  imports: [LinesModule],
  controllers: [AndonController],
  providers: [AndonService],
  exports: [AndonService],
})
export class AndonModule {}
