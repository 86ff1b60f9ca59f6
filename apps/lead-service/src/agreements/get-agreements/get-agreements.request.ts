import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsTimestamp } from '../../leads/shared/lead-request-fields';

export class GetAgreementInForceRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'business time; default now',
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  at?: string;
}
