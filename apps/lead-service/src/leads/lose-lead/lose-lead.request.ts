import { IsOptional } from 'class-validator';
import { IsText, IsTimestamp } from '../shared/lead-request-fields';

export class LoseLeadRequest {
  @IsText(200)
  reason!: string;

  @IsOptional()
  @IsText(2000)
  note?: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
