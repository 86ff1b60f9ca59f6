import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  DatedRequest,
  IsIdentifier,
  IsText,
  identifierPattern,
  occurredAtDescription,
} from '../shared/lead-request-fields';

export class HandoffOverrideRequest {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'strategic account, sales asked for it' })
  @IsText(500)
  reason!: string;
}

export class HandOffLeadRequest extends DatedRequest(
  occurredAtDescription(
    'the capture, nor, for a re-handoff, the rejection of the previous handoff',
  ),
) {
  @ApiProperty({ pattern: identifierPattern, description: 'the sales rep', example: 'rep-ana' })
  @IsIdentifier()
  toRep!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'asked for a demo next week' })
  @IsOptional()
  @IsText(2000)
  note?: string;

  // hands off a lead below the MQL threshold; the reason is kept for the audit
  @ApiPropertyOptional({
    type: HandoffOverrideRequest,
    description: 'required to hand off a lead below the MQL threshold',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HandoffOverrideRequest)
  override?: HandoffOverrideRequest;
}
