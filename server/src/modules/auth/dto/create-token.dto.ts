import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { CreateTokenRequest } from '@floorboard/shared';

/** Letters and digits of any script, spaces and `. _ @ # ( ) -`; starts with a letter or digit. */
export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._@#()-]{0,99}$/u;

export class CreateTokenDto implements CreateTokenRequest {
  @ApiProperty({ example: 'Hall 2 wall screen', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(NAME_PATTERN, {
    message: 'name must be 1–100 letters, digits, spaces or . _ @ # ( ) - starting with a letter or digit',
  })
  name: string;
}
