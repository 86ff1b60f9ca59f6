import { IsOptional } from 'class-validator';
import { IsTimestamp } from '../shared/lead-request-fields';

export class AcceptLeadRequest {
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
