import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { DatedRequest, IsText, occurredAtDescription } from '../shared/lead-request-fields';

export class LoseLeadRequest extends DatedRequest(
  occurredAtDescription("the lead's latest milestone (capture, handoff, acceptance or rejection)"),
) {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'chose a competitor' })
  @IsText(200)
  reason!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'price' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
