import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DatedRequest, IsText, occurredAtDescription } from '../shared/lead-request-fields';

export class ScoreReasonRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'job_title' })
  @IsText(100)
  rule!: string;

  @ApiProperty({ type: 'integer', minimum: -100, maximum: 100, example: 30 })
  @IsInt()
  @Min(-100)
  @Max(100)
  points!: number;
}

export class ScoreLeadRequest extends DatedRequest(
  occurredAtDescription('the capture; a score may be dated before later milestones'),
) {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 100,
    description: 'a score at or above the MQL threshold (default 60) qualifies the lead',
    example: 82,
  })
  @IsInt({ message: 'score must be an integer' })
  @Min(0)
  @Max(100)
  score!: number;

  @ApiPropertyOptional({ type: [ScoreReasonRequest], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ScoreReasonRequest)
  reasons?: ScoreReasonRequest[];

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'fit-and-intent-v2' })
  @IsOptional()
  @IsText(100)
  model?: string;
}
