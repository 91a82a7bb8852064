import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { BrokerConnectionService } from '../broker/broker-connection.service.js';
import { Public } from '../modules/auth/auth.decorators.js';

interface ReadyReport {
  status: 'ok' | 'unavailable';
  checks: { database: 'up' | 'down'; broker: 'up' | 'down' };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnectionService,
  ) {}

  /** The process is up and serving HTTP. */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Database answers and the broker is connected; 503 otherwise. */
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadyReport> {
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => 'up' as const)
      .catch(() => 'down' as const);
    const broker = this.broker.connected ? ('up' as const) : ('down' as const);
    const ok = database === 'up' && broker === 'up';
    if (!ok) response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, broker } };
  }
}
