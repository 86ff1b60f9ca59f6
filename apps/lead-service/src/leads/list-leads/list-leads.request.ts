import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { LeadStage } from '@lead/domain';
import { consistentWithProperty } from '../../openapi/query-parameters';
import { IsIdentifier, identifierPattern, leadStages } from '../shared/lead-request-fields';

export class ListLeadsRequest {
  @ApiPropertyOptional({ enum: leadStages })
  @IsOptional()
  @IsIn(leadStages, { message: `stage must be one of ${leadStages.join(', ')}` })
  stage?: LeadStage;

  @ApiPropertyOptional({
    pattern: identifierPattern,
    description: 'the sales rep',
    example: 'rep-ana',
  })
  @IsOptional()
  @IsIdentifier()
  owner?: string;

  @ApiPropertyOptional({
    pattern: identifierPattern,
    description: 'leads any of whose touches came from this campaign',
    example: 'spring-webinar',
  })
  @IsOptional()
  @IsIdentifier()
  campaignId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional(consistentWithProperty)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}
