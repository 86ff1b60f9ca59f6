import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsTimestamp, occurredAtDescription } from '../shared/lead-request-fields';

export class AcceptLeadRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: occurredAtDescription('the handoff it answers (and the capture)'),
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
