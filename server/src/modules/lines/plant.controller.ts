import { Body, Controller, Get, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { PlantFile } from '@floorboard/shared';
import { AppException } from '../../common/error-codes.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { MinRole } from '../auth/auth.decorators.js';
import { LiveStateService } from '../live/live-state.service.js';
import { LinesService } from './lines.service.js';
import { validatePlant } from './plant-file.js';
import { PlantService } from './plant.service.js';

@ApiTags('plant')
@ApiBearerAuth()
@Controller('plant')
export class PlantController {
  constructor(
    private readonly plant: PlantService,
    private readonly lines: LinesService,
    private readonly live: LiveStateService,
    private readonly metrics: MetricsService,
    private readonly dataSource: DataSource,
  ) {}

  @MinRole('admin')
  @ApiOperation({ summary: 'The current plant topology in plant-file form' })
  @Get()
  async current(): Promise<PlantFile> {
    const [settings] = (await this.dataSource.query(
      `SELECT timezone, production_day_start, micro_stop_seconds, shifts FROM plant_settings WHERE id = 1`,
    )) as { timezone: string; production_day_start: string; micro_stop_seconds: number; shifts: PlantFile['shifts'] }[];
    const lines = await this.lines.list();
    return {
      timezone: settings?.timezone ?? 'UTC',
      productionDayStart: settings?.production_day_start ?? '00:00',
      microStopSeconds: settings?.micro_stop_seconds ?? 120,
      shifts: settings?.shifts ?? [],
      lines: lines.map((l) => ({
        key: l.key,
        name: l.name,
        site: l.site,
        idealCycleTimeSec: l.idealCycleTimeSec,
        stations: l.stations.map((s) => ({ key: s.key, name: s.name, idealCycleTimeSec: s.idealCycleTimeSec })),
      })),
    };
  }

  /** Validated against the shared plant schema (it is the plant file contract), not a DTO. */
  @MinRole('admin')
  @ApiOperation({ summary: 'Apply a plant file (as JSON): idempotent upsert, never deletes history' })
  @ApiBody({ schema: { type: 'object', description: 'The plant file of DESIGN.md §4.2 as JSON' } })
  @Put()
  async apply(@Body() body: unknown): Promise<{ lines: number; stations: number }> {
    const result = validatePlant(body);
    if (!result.ok) {
      this.metrics.plantErrors.inc({ code: result.code });
      throw new AppException(
        result.code,
        `plant file invalid: ${result.errors.slice(0, 3).join('; ')}`,
        HttpStatus.UNPROCESSABLE_ENTITY,
        result.errors,
      );
    }
    const summary = await this.plant.apply(result.plant);
    await this.live.rebuild();
    return summary;
  }
}
