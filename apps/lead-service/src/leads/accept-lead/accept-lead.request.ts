import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsTimestamp } from '../shared/lead-request-fields';

export class AcceptLeadRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'business time, e.g. for imports; default now; never in the future',
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
