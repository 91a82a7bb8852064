import { timingSafeEqual, createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { roleAtLeast } from '@floorboard/shared';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppException, forbidden, unauthorized } from '../../common/error-codes.js';
import { ACCESS_KEY, type Access } from './auth.decorators.js';
import { TokenService, type AccessClaims } from './token.service.js';
import { HttpStatus } from '@nestjs/common';

const DEFAULT_ACCESS: Access = { kind: 'role', minimum: 'admin' };

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** Constant-time comparison of secrets of any length (hash first so lengths match). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The global HTTP guard: every route is admin-only unless it says otherwise. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access =
      this.reflector.getAllAndOverride<Access>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      DEFAULT_ACCESS;
    const request = context.switchToHttp().getRequest<Request & { user?: AccessClaims }>();
    const token = bearerToken(request.headers.authorization);
    if (access.kind === 'public') return true;
    if (access.kind === 'ingest') {
      if (!this.config.ingestToken) {
        throw new AppException(
          'INGEST_NOT_CONFIGURED',
          'FLOORBOARD_INGEST_TOKEN is not set on the server',
          HttpStatus.SERVICE_UNAVAILABLE,
        );
      }
      if (!token || !secretsEqual(token, this.config.ingestToken)) {
        throw unauthorized('AUTH_INGEST_TOKEN_INVALID', 'a valid ingest token is required');
      }
      return true;
    }
    const claims = await this.tokens.verify(token);
    if (!claims) throw unauthorized('AUTH_REQUIRED', 'sign in first: a valid access token is required');
    if (!roleAtLeast(claims.role, access.minimum)) {
      throw forbidden('AUTH_ROLE_TOO_LOW', `this needs the ${access.minimum} role or higher`);
    }
    request.user = claims;
    return true;
  }
}
