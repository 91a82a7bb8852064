import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LineKpis, LineThroughputTrend, LineTimeline } from '@floorboard/shared';
import { MinRole } from '../auth/auth.decorators.js';
import { KpiQueryDto, ThroughputQueryDto, TimelineQueryDto } from './dto/kpi-query.dto.js';
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

  @MinRole('viewer')
  @ApiOperation({ summary: "The output station's good and scrap per time bucket over a window, against the target" })
  @Get(':lineKey/throughput')
  throughput(@Param('lineKey') lineKey: string, @Query() query: ThroughputQueryDto): Promise<LineThroughputTrend> {
    return this.kpis.throughput(lineKey, query);
  }
}
