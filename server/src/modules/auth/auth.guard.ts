import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Socket } from 'socket.io';
import { roleAtLeast } from '@floorboard/shared';
import { AppException, forbidden, unauthorized } from '../../common/error-codes.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { currentRequestContext } from '../audit/request-context.js';
import { ACCESS_KEY, DEFAULT_ACCESS, type Access } from './auth.decorators.js';
import { AuthenticationService } from './authentication.service.js';
import type { AuthenticatedRequest } from './current-principal.decorator.js';
import type { Principal } from './principal.js';
import { bearerToken } from './secret-token.js';

/**
 * The one global guard, for REST routes and socket.io event handlers alike: deny by default (no
 * decorator = admin), @Public, @IngestOnly (ingest tokens only), @MinRole(role).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      DEFAULT_ACCESS;
    if (context.getType() === 'ws') {
      // The handshake already authenticated the socket; each handler still needs its role.
      const principal = (context.switchToWs().getClient<Socket>().data as { principal?: Principal }).principal;
      return this.authorise(access, principal ?? null);
    }
    if (context.getType() !== 'http') return false;
    if (access.kind === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw this.refuse(unauthorized('AUTH_REQUIRED', 'sign in first: a bearer token is required'));
    let principal: Principal;
    if (access.kind === 'ingest') {
      const ingest = await this.authentication.authenticateIngest(token);
      if (!ingest) {
        if (!(await this.authentication.ingestConfigured())) {
          throw this.refuse(
            new AppException(
              'INGEST_NOT_CONFIGURED',
              'no ingest token: set FLOORBOARD_INGEST_TOKEN or create one under /api/v1/ingest-tokens',
              HttpStatus.SERVICE_UNAVAILABLE,
            ),
          );
        }
        throw this.refuse(unauthorized('AUTH_INGEST_TOKEN_INVALID', 'a valid ingest token is required'));
      }
      principal = ingest;
    } else {
      const result = await this.authentication.authenticate(token);
      if (!result.ok) {
        throw this.refuse(
          unauthorized(
            result.code,
            result.code === 'AUTH_TOKEN_EXPIRED' ? 'the access token has expired: refresh it' : 'sign in first',
          ),
        );
      }
      principal = result.principal;
      this.authorise(access, principal);
    }
    request.principal = principal;
    const state = currentRequestContext();
    if (state) state.principal = principal;
    return true;
  }

  private authorise(access: Access, principal: Principal | null): true {
    if (access.kind === 'public') return true;
    if (!principal) throw this.refuse(unauthorized('AUTH_REQUIRED', 'sign in first'));
    if (access.kind === 'ingest' || !principal.role) {
      throw this.refuse(forbidden('AUTH_ROLE_TOO_LOW', 'only gateways with an ingest token may do this'));
    }
    if (!roleAtLeast(principal.role, access.minimum)) {
      throw this.refuse(forbidden('AUTH_ROLE_TOO_LOW', `this needs the ${access.minimum} role or higher`));
    }
    return true;
  }

  private refuse(error: AppException): AppException {
    this.metrics.authFailures.inc({ code: error.code });
    return error;
  }
}
