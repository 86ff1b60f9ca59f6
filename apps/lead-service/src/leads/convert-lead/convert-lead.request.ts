import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  DatedRequest,
  IsIdentifier,
  identifierPattern,
  occurredAtDescription,
} from '../shared/lead-request-fields';

/** 10^13 minor units: 100 billion in a two-decimal currency, far above any one deal */
export const maxConversionAmount = 10_000_000_000_000;

export class ConvertLeadRequest extends DatedRequest(
  occurredAtDescription('the acceptance (hence the capture, whose touch is always credited)'),
) {
  // integer minor units (cents): money is never a float; bounded so that report sums stay exact
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: maxConversionAmount,
    description: 'integer minor units (cents), never a float; at most 10^13',
    example: 1250000,
  })
  @IsInt({ message: 'amount must be an integer number of minor units (e.g. cents)' })
  @Min(1)
  @Max(maxConversionAmount)
  amount!: number;

  @ApiProperty({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code', example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of 3 upper-case letters' })
  currency!: string;

  @ApiPropertyOptional({ pattern: identifierPattern, example: 'opp-981' })
  @IsOptional()
  @IsIdentifier()
  opportunityId?: string;
}
