import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LineKpis, LineTimeline } from '@floorboard/shared';
import { MinRole } from '../auth/auth.decorators.js';
import { KpiQueryDto, TimelineQueryDto } from './dto/kpi-query.dto.js';
import { KpisService } from './kpis.service.js';

@ApiTags('lines')
@ApiBearerAuth()
@Controller('lines')
export class KpisController {
  constructor(private readonly kpis: KpisService) {}

  @MinRole('viewer')
  @ApiOperation({ summary: 'OEE, throughput, bottleneck shares, downtime Pareto and state times over a window' })
  @Get(':lineKey/kpis')
  lineKpis(@Param('lineKey') lineKey: string, @Query() query: KpiQueryDto): Promise<LineKpis> {
    return this.kpis.kpis(lineKey, query);
  }

  @MinRole('viewer')
  @ApiOperation({ summary: "Each station's state intervals over a window, cut at its edges" })
  @Get(':lineKey/timeline')
  timeline(@Param('lineKey') lineKey: string, @Query() query: TimelineQueryDto): Promise<LineTimeline> {
    return this.kpis.timeline(lineKey, query);
  }
}
