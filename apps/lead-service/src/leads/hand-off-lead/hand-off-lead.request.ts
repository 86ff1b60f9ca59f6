import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsIdentifier, IsText, IsTimestamp } from '../shared/lead-request-fields';

export class HandoffOverrideRequest {
  @IsText(500)
  reason!: string;
}

export class HandOffLeadRequest {
  @IsIdentifier()
  toRep!: string;

  @IsOptional()
  @IsText(2000)
  note?: string;

  // hands off a lead below the MQL threshold; the reason is kept for the audit
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HandoffOverrideRequest)
  override?: HandoffOverrideRequest;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
