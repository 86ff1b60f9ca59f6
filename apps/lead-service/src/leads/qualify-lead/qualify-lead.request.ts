import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';
import { maxConversionAmount } from '../convert-lead/convert-lead.request';
import {
  DatedRequest,
  IsIdentifier,
  identifierPattern,
  occurredAtDescription,
} from '../shared/lead-request-fields';

type Estimate = { estimatedAmount?: number; currency?: string };
// money never travels without its currency: an estimate names both or neither
const partOfEstimate = (request: Estimate) =>
  request.estimatedAmount !== undefined || request.currency !== undefined;

export class QualifyLeadRequest extends DatedRequest(occurredAtDescription('the acceptance')) {
  @ApiProperty({ pattern: identifierPattern, example: 'opp-981' })
  @IsIdentifier()
  opportunityId!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: maxConversionAmount,
    description: 'integer minor units (cents), never a float; given together with currency',
    example: 900000,
  })
  @ValidateIf(partOfEstimate)
  @IsDefined({ message: 'estimatedAmount is required with currency' })
  @IsInt({ message: 'estimatedAmount must be an integer number of minor units (e.g. cents)' })
  @Min(1)
  @Max(maxConversionAmount)
  estimatedAmount?: number;

  @ApiPropertyOptional({
    pattern: '^[A-Z]{3}$',
    description: 'ISO 4217 code of the estimate; given together with estimatedAmount',
    example: 'EUR',
  })
  @ValidateIf(partOfEstimate)
  @IsDefined({ message: 'currency is required with estimatedAmount' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of 3 upper-case letters' })
  currency?: string;
}
