import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { GatewayStatus } from '@floorboard/shared';
import { IngestOnly, MinRole } from '../auth/auth.decorators.js';
import { GatewaysService } from './gateways.service.js';

@ApiTags('gateways')
@ApiBearerAuth()
@Controller('gateways')
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  /** Validated against the shared zod contract (`gatewayHeartbeatSchema`), not a DTO. */
  @IngestOnly()
  @ApiOperation({
    summary: "A gateway's heartbeat: outbox depth and age, dropped events, last ack, reconnects, rebirths",
  })
  @ApiBody({ schema: { type: 'object' } })
  @Post('heartbeat')
  @HttpCode(200)
  heartbeat(@Body() body: unknown): Promise<{ ok: true }> {
    return this.gateways.recordHeartbeat(body);
  }

  @MinRole('viewer')
  @ApiOperation({ summary: 'Every gateway that ever reported, online when its last heartbeat is at most 30 s old' })
  @Get()
  list(): Promise<GatewayStatus[]> {
    return this.gateways.list();
  }
}
