import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { BusinessTimeRange } from '@lead/read-models';
import { IsTimestamp } from '../leads/shared/lead-request-fields';
import {
  asOfProperty,
  consistentWithProperty,
  fromProperty,
  toProperty,
} from '../openapi/query-parameters';

// Query parameters every analytics endpoint takes: a business-time window (from inclusive, to
// exclusive), an as-of point (knowledge time), and read-your-writes consistency.
export class AnalyticsQueryRequest {
  @ApiPropertyOptional(fromProperty)
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional(toProperty)
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional(asOfProperty)
  @IsOptional()
  @IsString()
  asOf?: string;

  @ApiPropertyOptional(consistentWithProperty)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}

export const businessTimeRange = ({
  from,
  to,
}: {
  from?: string;
  to?: string;
}): BusinessTimeRange => {
  const range = {
    from: from === undefined ? undefined : new Date(from).toISOString(),
    to: to === undefined ? undefined : new Date(to).toISOString(),
  };
  if (range.from && range.to && range.from > range.to) {
    throw new BadRequestException({
      code: 'validation_failed',
      detail: 'from must not be after to',
      errors: [{ field: 'from', message: 'from must not be after to' }],
    });
  }
  return range;
};
