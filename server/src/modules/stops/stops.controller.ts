import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Stop } from '@floorboard/shared';
import { MinRole } from '../auth/auth.decorators.js';
import { ClassifyStopDto, SplitStopDto, StopsQueryDto } from './dto/stops.dto.js';
import { StopsService } from './stops.service.js';

@ApiTags('stops')
@ApiBearerAuth()
@Controller()
export class StopsController {
  constructor(private readonly stops: StopsService) {}

  @MinRole('viewer')
  @ApiOperation({
    summary: "A line's stops (down and changeover intervals) overlapping [from, to), with reason and its source",
  })
  @Get('lines/:lineKey/stops')
  list(@Param('lineKey') lineKey: string, @Query() query: StopsQueryDto): Promise<Stop[]> {
    return this.stops.list(lineKey, query);
  }

  @MinRole('coordinator')
  @ApiOperation({ summary: "Classifies a stop (or a split part) with a catalogue reason; overrides the station's" })
  @Put('stops/:id/reason')
  classify(@Param('id') id: string, @Body() body: ClassifyStopDto): Promise<Stop> {
    return this.stops.classify(id, body.reasonKey);
  }

  @MinRole('coordinator')
  @ApiOperation({ summary: 'Splits a stop at `at` (strictly inside, else 422) into two parts with one reason each' })
  @Post('stops/:id/split')
  @HttpCode(200)
  split(@Param('id') id: string, @Body() body: SplitStopDto): Promise<Stop[]> {
    return this.stops.split(id, body);
  }
}
