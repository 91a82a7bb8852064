import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module.js';
import { LiveStateService } from '../live/live-state.service.js';
import { LineEntity } from './line.entity.js';
import { LinesController } from './lines.controller.js';
import { LinesService } from './lines.service.js';
import { PlantController } from './plant.controller.js';
import { PlantBootstrapService } from './plant-bootstrap.service.js';
import { PlantSettingsEntity } from './plant-settings.entity.js';
import { PlantService } from './plant.service.js';
import { StationEntity } from './station.entity.js';
import { UnplacedStationsController } from './unplaced-stations.controller.js';

/** Plant topology and each line's live state (the live state needs the topology, so they share a module). */
@Module({
  imports: [TypeOrmModule.forFeature([LineEntity, StationEntity, PlantSettingsEntity]), HistoryModule],
  controllers: [LinesController, PlantController, UnplacedStationsController],
  providers: [LinesService, PlantService, PlantBootstrapService, LiveStateService],
  exports: [LinesService, PlantService, LiveStateService],
})
export class LinesModule {}
