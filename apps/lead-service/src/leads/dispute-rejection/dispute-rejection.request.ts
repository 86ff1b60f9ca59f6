import { ApiProperty } from '@nestjs/swagger';
import { DatedRequest, IsText, occurredAtDescription } from '../shared/lead-request-fields';

export class DisputeRejectionRequest extends DatedRequest(occurredAtDescription('the rejection')) {
  @ApiProperty({
    minLength: 1,
    maxLength: 2000,
    description: "why marketing holds the rejection wrong; the sales manager's ruling answers it",
    example: 'fits the ICP: 400 employees, and asked for pricing in the webinar',
  })
  @IsText(2000)
  reason!: string;
}
