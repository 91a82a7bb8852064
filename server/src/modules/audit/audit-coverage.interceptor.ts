import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { tap, type Observable } from 'rxjs';
import { MetricsService } from '../../metrics/metrics.service.js';
import { ACCESS_KEY, AUDIT_EXEMPT_KEY, type Access } from '../auth/auth.decorators.js';
import { currentRequestContext } from './request-context.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Makes a forgotten audit record loud: a successful mutation (any non-GET route that is neither
 * @AuditExempt nor @IngestOnly) that wrote no audit row and did not declare `noChange()` is logged
 * as an error and counted in `floorboard_audit_missing_total`. The route-matrix test fails on it too.
 */
@Injectable()
export class AuditCoverageInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly metrics: MetricsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, targets);
    const exempt = this.reflector.getAllAndOverride<boolean | undefined>(AUDIT_EXEMPT_KEY, targets);
    if (READS.has(request.method) || exempt || access?.kind === 'ingest') return next.handle();
    return next.handle().pipe(
      tap(() => {
        const state = currentRequestContext();
        if (!state || state.audited > 0 || state.unchanged) return;
        const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
        this.metrics.auditMissing.inc({ route });
        this.logger.error({ msg: 'mutation left no audit record', route });
      }),
    );
  }
}
