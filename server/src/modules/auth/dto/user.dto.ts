import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ROLES, type CreateUserRequest, type Role, type UpdateUserRequest } from '@floorboard/shared';

const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({
    example: 'jane.doe',
    description: '1–64 of a-z 0-9 . _ @ -, starting with a letter or digit; kept in lower case',
  })
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 1–64 characters of a-z 0-9 . _ @ - starting with a letter or digit',
  })
  username: string;

  @ApiProperty({ minLength: 8, maxLength: 256 })
  @IsString()
  @Length(8, 256)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class UpdateUserDto implements UpdateUserRequest {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ minLength: 8, maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(8, 256)
  password?: string;
}
