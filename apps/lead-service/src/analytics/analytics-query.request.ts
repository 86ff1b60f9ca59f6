import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { BusinessTimeRange } from '@lead/read-models';
import { IsTimestamp } from '../leads/shared/lead-request-fields';

// Query parameters every analytics endpoint takes: a business-time window (from inclusive, to
// exclusive), an as-of point (knowledge time), and read-your-writes consistency.
export class AnalyticsQueryRequest {
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @IsOptional()
  @IsTimestamp()
  to?: string;

  @IsOptional()
  @IsString()
  asOf?: string;

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
