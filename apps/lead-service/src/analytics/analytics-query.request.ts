import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { attributionModels } from '@lead/domain';
import type { BusinessTimeRange } from '@lead/read-models';
import { ApplicationError } from '../http/application-error';
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
    throw new ApplicationError('validation_failed', 'from must not be after to', [
      { field: 'from', message: 'from must not be after to' },
    ]);
  }
  return range;
};

export const modelProperty = {
  enum: [...attributionModels],
  description: 'attribution model (DESIGN §4); results name it with its version, e.g. w_shaped@1',
  example: 'w_shaped',
};
