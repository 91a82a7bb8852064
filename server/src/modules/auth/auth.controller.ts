import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { LoginResponse } from '@floorboard/shared';
import { unauthorized } from '../../common/error-codes.js';
import { MinRole, Public } from './auth.decorators.js';
import { LoginDto } from './dto/login.dto.js';
import { ACCESS_TOKEN_TTL_SECONDS, TokenService, type AccessClaims } from './token.service.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto): Promise<LoginResponse> {
    const user = await this.users.verifyCredentials(body.username, body.password);
    if (!user) throw unauthorized('AUTH_INVALID_CREDENTIALS', 'wrong username or password');
    const accessToken = await this.tokens.sign({ sub: user.id, username: user.username, role: user.role });
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, user: { username: user.username, role: user.role } };
  }

  @ApiBearerAuth()
  @MinRole('viewer')
  @Get('me')
  me(@Req() request: Request & { user: AccessClaims }): { username: string; role: string } {
    return { username: request.user.username, role: request.user.role };
  }
}
