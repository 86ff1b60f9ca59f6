import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { RejectionReason } from '@lead/domain';
import { IsText, IsTimestamp, occurredAtDescription } from '../shared/lead-request-fields';

export const rejectionReasons: RejectionReason[] = [
  'not_icp',
  'bad_contact',
  'duplicate',
  'not_ready',
  'other',
];

export class RejectLeadRequest {
  @ApiProperty({ enum: rejectionReasons, example: 'not_ready' })
  @IsIn(rejectionReasons)
  reason!: RejectionReason;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'budget next quarter' })
  @IsOptional()
  @IsText(2000)
  note?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: occurredAtDescription('the handoff it answers (and the capture)'),
    example: '2026-03-01T09:30:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
