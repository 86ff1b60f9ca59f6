import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { RejectionReason } from '@lead/domain';
import { DatedRequest, IsText, occurredAtDescription } from '../shared/lead-request-fields';

export const rejectionReasons: RejectionReason[] = [
  'not_icp',
  'bad_contact',
  'duplicate',
  'not_ready',
  'other',
];

export class RejectLeadRequest extends DatedRequest(
  occurredAtDescription('the handoff it answers (and the capture)'),
) {
  @ApiProperty({ enum: rejectionReasons, example: 'not_ready' })
  @IsIn(rejectionReasons)
  reason!: RejectionReason;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'budget next quarter' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
