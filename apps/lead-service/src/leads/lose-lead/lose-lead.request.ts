import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsText, IsTimestamp, occurredAtDescription } from '../shared/lead-request-fields';

export class LoseLeadRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'chose a competitor' })
  @IsText(200)
  reason!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'price' })
  @IsOptional()
  @IsText(2000)
  note?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: occurredAtDescription(
      "the lead's latest milestone (capture, handoff, acceptance or rejection)",
    ),
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
