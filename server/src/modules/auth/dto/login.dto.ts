import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { REFRESH_TOKEN_PREFIX, type LoginRequest, type RefreshRequest } from '@floorboard/shared';
import { secretTokenPattern } from '../secret-token.js';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty({ example: 'change-me-please' })
  @IsString()
  @Length(1, 256)
  password: string;
}

export class RefreshDto implements RefreshRequest {
  @ApiProperty({ description: `the refresh token (${REFRESH_TOKEN_PREFIX}…) of the last sign-in or refresh` })
  @IsString()
  @Matches(secretTokenPattern(REFRESH_TOKEN_PREFIX), { message: 'refreshToken is not a refresh token' })
  refreshToken: string;
}
