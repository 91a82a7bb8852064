import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller.js';
import { AuditCoverageInterceptor } from './audit-coverage.interceptor.js';
import { AuditService } from './audit.service.js';

/** Global, so every domain module can inject AuditService and record in its own transaction. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, { provide: APP_INTERCEPTOR, useClass: AuditCoverageInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
