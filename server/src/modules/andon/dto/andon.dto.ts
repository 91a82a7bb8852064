import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ALERT_STATES,
  ANDON_RULE_KINDS,
  ANDON_THRESHOLD_PERCENT_MAX,
  ANDON_THRESHOLD_PERCENT_MIN,
  type AlertStateFilter,
  type AndonRuleKind,
} from '@floorboard/shared';

export class AndonRulePatchDto {
  @ApiProperty({ enum: ANDON_RULE_KINDS })
  @IsIn(ANDON_RULE_KINDS)
  kind: AndonRuleKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 604800, description: 'how long the condition must last, seconds' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604_800)
  thresholdSeconds?: number;

  @ApiPropertyOptional({
    minimum: ANDON_THRESHOLD_PERCENT_MIN,
    maximum: ANDON_THRESHOLD_PERCENT_MAX,
    description: 'line-below-target only: raise below this percentage of the target rate (whole percent)',
  })
  @IsOptional()
  @IsInt()
  @Min(ANDON_THRESHOLD_PERCENT_MIN)
  @Max(ANDON_THRESHOLD_PERCENT_MAX)
  thresholdPercent?: number;
}

export class UpdateAndonRulesDto {
  @ApiProperty({ type: [AndonRulePatchDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ANDON_RULE_KINDS.length)
  @ValidateNested({ each: true })
  @Type(() => AndonRulePatchDto)
  rules: AndonRulePatchDto[];
}

export class AlertsQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATES, default: 'open' })
  @IsOptional()
  @IsIn(ALERT_STATES)
  state?: AlertStateFilter;

  @ApiPropertyOptional({ description: 'line key: only alerts of this line' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'line must be a line key' })
  line?: string;
}
