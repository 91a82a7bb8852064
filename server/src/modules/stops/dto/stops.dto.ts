import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REASON_KEY_MAX, REASON_KEY_PATTERN } from '@floorboard/shared';

const KEY_MESSAGE = 'must be a reason key such as "motor-fault"';

export class StopsQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive; default: 24 h before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive; default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only stops without a catalogue reason' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unclassified?: 'true' | 'false';
}

export class ClassifyStopDto {
  @ApiProperty({ example: 'motor-fault' })
  @IsString()
  @MaxLength(REASON_KEY_MAX)
  @Matches(REASON_KEY_PATTERN, { message: `reasonKey ${KEY_MESSAGE}` })
  reasonKey: string;
}

export class SplitStopDto {
  @ApiProperty({ description: 'ISO 8601, strictly inside the stop', example: '2026-11-28T08:10:00Z' })
  @IsISO8601({ strict: true })
  at: string;

  @ApiProperty({ example: 'jam' })
  @IsString()
  @MaxLength(REASON_KEY_MAX)
  @Matches(REASON_KEY_PATTERN, { message: `firstReasonKey ${KEY_MESSAGE}` })
  firstReasonKey: string;

  @ApiProperty({ example: 'no-material' })
  @IsString()
  @MaxLength(REASON_KEY_MAX)
  @Matches(REASON_KEY_PATTERN, { message: `secondReasonKey ${KEY_MESSAGE}` })
  secondReasonKey: string;
}
