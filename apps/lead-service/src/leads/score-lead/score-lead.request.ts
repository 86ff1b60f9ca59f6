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
import { IsText, IsTimestamp } from '../shared/lead-request-fields';

export class ScoreReasonRequest {
  @IsText(100)
  rule!: string;

  @IsInt()
  @Min(-100)
  @Max(100)
  points!: number;
}

export class ScoreLeadRequest {
  @IsInt({ message: 'score must be an integer' })
  @Min(0)
  @Max(100)
  score!: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ScoreReasonRequest)
  reasons?: ScoreReasonRequest[];

  @IsOptional()
  @IsText(100)
  model?: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
