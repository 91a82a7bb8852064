import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import {
  OEE_BUCKETS,
  REASON_CATEGORIES,
  REASON_KEY_MAX,
  REASON_KEY_PATTERN,
  type OeeBucket,
  type ReasonCategory,
} from '@floorboard/shared';

const KEY_MESSAGE = 'must be a lowercase slug such as "motor-fault"';
const NAME_PATTERN = /^[^\p{C}]*$/u;

export class CreateReasonDto {
  @ApiProperty({ example: 'belt-slip' })
  @IsString()
  @MaxLength(REASON_KEY_MAX)
  @Matches(REASON_KEY_PATTERN, { message: `key ${KEY_MESSAGE}` })
  key: string;

  @ApiProperty({ example: 'Belt slip' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME_PATTERN, { message: 'name must not contain control characters' })
  name: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'mechanical',
    description: 'key of the parent reason; null for a family',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(REASON_KEY_MAX)
  @Matches(REASON_KEY_PATTERN, { message: `parent ${KEY_MESSAGE}` })
  parent?: string | null;

  @ApiProperty({ enum: REASON_CATEGORIES })
  @IsIn(REASON_CATEGORIES)
  category: ReasonCategory;

  @ApiProperty({ enum: OEE_BUCKETS })
  @IsIn(OEE_BUCKETS)
  oeeBucket: OeeBucket;
}

export class UpdateReasonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME_PATTERN, { message: 'name must not contain control characters' })
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(REASON_KEY_MAX)
  @Matches(REASON_KEY_PATTERN, { message: `parent ${KEY_MESSAGE}` })
  parent?: string | null;

  @ApiPropertyOptional({ enum: REASON_CATEGORIES })
  @IsOptional()
  @IsIn(REASON_CATEGORIES)
  category?: ReasonCategory;

  @ApiPropertyOptional({ enum: OEE_BUCKETS })
  @IsOptional()
  @IsIn(OEE_BUCKETS)
  oeeBucket?: OeeBucket;
}
