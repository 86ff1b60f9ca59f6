import { IsIn, IsOptional } from 'class-validator';
import type { RejectionReason } from '@lead/domain';
import { IsText, IsTimestamp } from '../shared/lead-request-fields';

export const rejectionReasons: RejectionReason[] = [
  'not_icp',
  'bad_contact',
  'duplicate',
  'not_ready',
  'other',
];

export class RejectLeadRequest {
  @IsIn(rejectionReasons)
  reason!: RejectionReason;

  @IsOptional()
  @IsText(2000)
  note?: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}
