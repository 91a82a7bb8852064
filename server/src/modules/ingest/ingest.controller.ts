import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IngestResult } from '@floorboard/shared';
import { IngestOnly } from '../auth/auth.decorators.js';
import { IngestService } from './ingest.service.js';

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  /** The body is validated against the shared zod contract event by event, not by a DTO. */
  @IngestOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Commit a batch of canonical station events from a gateway',
    description:
      'Answers after the batch is committed. Idempotent on gatewayId+seq (duplicates are acknowledged and ignored); ' +
      'invalid events are rejected one by one and kept in the dead-letter table.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { gatewayId: { type: 'string' }, events: { type: 'array', items: { type: 'object' } } },
    },
  })
  @Post('events')
  @HttpCode(200)
  events(@Body() body: unknown): Promise<IngestResult> {
    return this.ingest.ingest(body);
  }
}
