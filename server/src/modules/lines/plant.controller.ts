import { Body, Controller, Get, HttpStatus, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PlantCalendar, PlantFile } from '@floorboard/shared';
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
  ) {}

  @MinRole('admin')
  @ApiOperation({ summary: 'The current plant topology in plant-file form' })
  @Get()
  current(): Promise<PlantFile> {
    return this.plant.current();
  }

  /** What the dashboard needs to show plant-local times, days and shifts; no topology, so viewers may read it. */
  @MinRole('viewer')
  @ApiOperation({ summary: 'The plant timezone, production-day start and shifts' })
  @Get('calendar')
  async calendar(): Promise<PlantCalendar> {
    const { timezone, productionDayStart, shifts } = await this.lines.calendarSettings();
    return { timezone, productionDayStart, shifts: shifts.map(({ name, start, end }) => ({ name, start, end })) };
  }

  /** Validated against the shared plant schema (it is the plant file contract), not a DTO. */
  @MinRole('admin')
  @ApiOperation({
    summary: 'Apply a plant file (as JSON): idempotent upsert, never deletes history',
    description: 'A change is recorded in the audit log as plant.applied with the topology before and after.',
  })
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
