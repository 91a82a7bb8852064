import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditPage } from '@floorboard/shared';
import { badRequest } from '../../common/error-codes.js';
import { MinRole } from '../auth/auth.decorators.js';
import { AuditService } from './audit.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @MinRole('manager')
  @ApiOperation({ summary: 'The audit log, newest first, filtered and paged with nextCursor' })
  @Get()
  page(@Query() query: AuditQueryDto): Promise<AuditPage> {
    if (query.from && query.to && new Date(query.from) > new Date(query.to)) {
      throw badRequest('VALIDATION_FAILED', 'from must not be after to');
    }
    return this.audit.page(query);
  }
}
