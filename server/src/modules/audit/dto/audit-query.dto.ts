import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { AuditQuery } from '@floorboard/shared';

export class AuditQueryDto implements AuditQuery {
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive', example: '2026-11-28T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'exact username or token name' })
  @IsOptional()
  @IsString()
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._@#()-]{0,99}$/u, { message: 'actor is not a username or token name' })
  actor?: string;

  @ApiPropertyOptional({ description: 'exact action, e.g. user.created', example: 'user.created' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/, { message: 'action must look like entity.verb-past' })
  action?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not a nextCursor this server gave out' })
  cursor?: string;
}
