import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsTimestamp } from '../leads/shared/lead-request-fields';
import { asOfProperty, fromProperty, toProperty } from '../openapi/query-parameters';

// A what-if question: an agreement version (proposed, approved or withdrawn: trying terms on
// history before signing them is the point), a business-time window and an as-of point.
export class WhatIfQueryRequest {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'the agreement version to judge history under (may be merely proposed)',
    example: 3,
  })
  @Type(() => Number)
  @IsInt({ message: 'version must be a positive integer' })
  @Min(1, { message: 'version must be a positive integer' })
  @Max(999_999_999, { message: 'version must be a positive integer' })
  version!: number;

  @ApiPropertyOptional(fromProperty)
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional(toProperty)
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({
    ...asOfProperty,
    description: `${asOfProperty.description}; default: the log head when the request arrives (named in the answer)`,
  })
  @IsOptional()
  @IsString()
  asOf?: string;
}
