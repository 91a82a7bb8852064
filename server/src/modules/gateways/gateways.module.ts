import { Module } from '@nestjs/common';
import { GatewaysController } from './gateways.controller.js';
import { GatewaysService } from './gateways.service.js';

/** Edge gateways: heartbeats in, status list out. */
@Module({
  controllers: [GatewaysController],
  providers: [GatewaysService],
})
export class GatewaysModule {}
