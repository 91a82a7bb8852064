import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DisplayTokensController, IngestTokensController } from './access-tokens.controller.js';
import { AccessTokensService } from './access-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthEventsService } from './auth-events.service.js';
import { AuthGuard } from './auth.guard.js';
import { AuthenticationService } from './authentication.service.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [AuthController, UsersController, DisplayTokensController, IngestTokensController],
  providers: [
    TokenService,
    UsersService,
    SessionsService,
    AccessTokensService,
    AuthenticationService,
    AuthEventsService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, AuthenticationService, AuthEventsService],
})
export class AuthModule {}
