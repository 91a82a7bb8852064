import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

const WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/** `?from&to`, `?shift&date` or `?date` (DESIGN.md §4.4); which combination is checked by the service. */
export class KpiQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601 with an offset, inclusive', example: '2026-11-27T06:00:00+01:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'from needs a UTC offset (Z or +01:00)' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 with an offset, exclusive', example: '2026-11-27T14:00:00+01:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'to needs a UTC offset (Z or +01:00)' })
  to?: string;

  @ApiPropertyOptional({ description: 'a shift name of the plant file; needs date', example: 'Early' })
  @IsOptional()
  @IsString()
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,59}$/u, { message: 'shift is not a shift name' })
  shift?: string;

  @ApiPropertyOptional({ description: 'production day YYYY-MM-DD in the plant timezone', example: '2026-11-27' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}

/** `?from&to` only. */
export class TimelineQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601 with an offset, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'from needs a UTC offset (Z or +01:00)' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 with an offset, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'to needs a UTC offset (Z or +01:00)' })
  to?: string;

  @ApiPropertyOptional({
    description: 'merge intervals shorter than this many ms into their dominant state (at least 1000)',
    example: 300000,
  })
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'resolutionMs must be a whole number of milliseconds' })
  resolutionMs?: string;
}

/** The `/kpis` windows plus the bucket length; its range (1–1440) and the bucket count are checked by the service. */
export class ThroughputQueryDto extends KpiQueryDto {
  @ApiPropertyOptional({ description: 'bucket length in minutes, 1–1440 (default: at most 200 buckets)', example: 15 })
  @IsOptional()
  @Matches(/^\d{1,4}$/, { message: 'bucketMinutes must be a whole number of minutes' })
  bucketMinutes?: string;
}
