import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Alert, AndonRule } from '@floorboard/shared';
import { MinRole } from '../auth/auth.decorators.js';
import { uuidParam } from '../auth/users.controller.js';
import { AndonService } from './andon.service.js';
import { AlertsQueryDto, UpdateAndonRulesDto } from './dto/andon.dto.js';

@ApiTags('andon')
@ApiBearerAuth()
@Controller()
export class AndonController {
  constructor(private readonly andon: AndonService) {}

  @MinRole('manager')
  @ApiOperation({
    summary: 'The andon rules: station down / offline, gateway offline, line below target, bottleneck moved',
  })
  @Get('andon/rules')
  rules(): AndonRule[] {
    return this.andon.rulesList();
  }

  @MinRole('manager')
  @ApiOperation({
    summary: 'Changes some rules (enabled, thresholdSeconds, thresholdPercent); the others stay as they are',
  })
  @Put('andon/rules')
  updateRules(@Body() body: UpdateAndonRulesDto): Promise<AndonRule[]> {
    return this.andon.updateRules(body.rules);
  }

  @MinRole('viewer')
  @ApiOperation({ summary: 'Alerts, newest first: open (not cleared, default) or all; optionally of one line' })
  @Get('alerts')
  list(@Query() query: AlertsQueryDto): Promise<Alert[]> {
    return this.andon.list(query.state ?? 'open', query.line);
  }

  @MinRole('coordinator')
  @ApiOperation({ summary: 'Acknowledges an alert (who and when); 409 when it already is' })
  @Post('alerts/:id/ack')
  @HttpCode(200)
  acknowledge(@Param('id', uuidParam) id: string): Promise<Alert> {
    return this.andon.acknowledge(id);
  }
}
