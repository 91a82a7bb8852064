import { Module } from '@nestjs/common';
import { LinesModule } from '../lines/lines.module.js';
import { ReasonsController } from './reasons.controller.js';
import { ReasonsService } from './reasons.service.js';
import { StopsController } from './stops.controller.js';
import { StopsService } from './stops.service.js';

/** The stop reason catalogue, and stops with their classification by stations and coordinators. */
@Module({
  imports: [LinesModule],
  controllers: [ReasonsController, StopsController],
  providers: [ReasonsService, StopsService],
  exports: [ReasonsService, StopsService],
})
export class StopsModule {}
