import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LineLive, LineSummary } from '@floorboard/shared';
import { notFound } from '../../common/error-codes.js';
import { MinRole } from '../auth/auth.decorators.js';
import { LiveStateService } from '../live/live-state.service.js';
import { LinesService } from './lines.service.js';

@ApiTags('lines')
@ApiBearerAuth()
@Controller('lines')
export class LinesController {
  constructor(
    private readonly lines: LinesService,
    private readonly live: LiveStateService,
  ) {}

  @MinRole('viewer')
  @ApiOperation({ summary: 'All lines with their stations in flow order' })
  @Get()
  list(): Promise<LineSummary[]> {
    return this.lines.list();
  }

  @MinRole('viewer')
  @Get(':lineKey')
  get(@Param('lineKey') lineKey: string): Promise<LineSummary> {
    return this.lines.get(lineKey);
  }

  @MinRole('viewer')
  @ApiOperation({ summary: "Each station's current state, since when, reason and today's counts" })
  @Get(':lineKey/live')
  liveState(@Param('lineKey') lineKey: string): LineLive {
    const snapshot = this.live.snapshot(lineKey);
    if (!snapshot) throw notFound('LINE_NOT_FOUND', `no line "${lineKey}"`);
    return snapshot;
  }
}
