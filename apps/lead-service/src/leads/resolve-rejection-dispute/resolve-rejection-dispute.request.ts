import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type DisputeOutcome, disputeOutcomes } from '@lead/domain';
import { DatedRequest, IsText, occurredAtDescription } from '../shared/lead-request-fields';

export class ResolveRejectionDisputeRequest extends DatedRequest(
  occurredAtDescription('the dispute'),
) {
  @ApiProperty({
    enum: disputeOutcomes,
    description: 'upheld: the rejection stands; overturned: it was wrongful',
    example: 'overturned',
  })
  @IsIn(disputeOutcomes, { message: `outcome must be one of ${disputeOutcomes.join(', ')}` })
  outcome!: DisputeOutcome;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'listened to the call' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
