import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsIdentifier, IsTimestamp } from '../shared/lead-request-fields';

export class ConvertLeadRequest {
  // integer minor units (cents): money is never a float
  @IsInt({ message: 'amount must be an integer number of minor units (e.g. cents)' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of 3 upper-case letters' })
  currency!: string;

  @IsOptional()
  @IsIdentifier()
  opportunityId?: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
