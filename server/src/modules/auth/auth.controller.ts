import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthSession, Me, PrincipalKind } from '@floorboard/shared';
import { AuditExempt, MinRole, Public } from './auth.decorators.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { LoginDto, RefreshDto } from './dto/login.dto.js';
import type { Principal } from './principal.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: SessionsService) {}

  @Public()
  @AuditExempt()
  @ApiOperation({
    summary: 'Sign in: a 15-minute access token and a rotating refresh token',
    description: 'Locked with backoff after repeated failures per username and per address: 429 AUTH_LOCKED.',
  })
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Req() request: Request): Promise<AuthSession> {
    return this.sessions.login(body.username, body.password, clientAddress(request));
  }

  @Public()
  @AuditExempt()
  @ApiOperation({ summary: 'Trade a refresh token for a new session; the old refresh token stops working' })
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshDto): Promise<AuthSession> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @AuditExempt()
  @ApiOperation({ summary: 'Sign out: the session of this refresh token ends' })
  @Post('logout')
  @HttpCode(204)
  logout(@Body() body: RefreshDto): Promise<void> {
    return this.sessions.logout(body.refreshToken);
  }

  @ApiBearerAuth()
  @MinRole('viewer')
  @ApiOperation({ summary: 'Who the bearer token belongs to: a person, or a display token (always a viewer)' })
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Me {
    return { username: principal.name, role: principal.role!, kind: principal.kind as PrincipalKind };
  }
}

function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
