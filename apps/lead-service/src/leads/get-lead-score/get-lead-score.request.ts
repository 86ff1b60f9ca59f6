import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsTimestamp } from '../shared/lead-request-fields';

export class GetLeadScoreRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'business time to evaluate the score at (decay applied then, the agreement in force then, facts dated by then); default now',
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  at?: string;
}
