import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  type SalesActivityKind,
  type SalesActivityOutcome,
  salesActivityKinds,
  salesActivityOutcomes,
} from '@lead/domain';
import { DatedRequest, IsText, occurredAtDescription } from '../shared/lead-request-fields';

export class LogSalesActivityRequest extends DatedRequest(occurredAtDescription('the acceptance')) {
  @ApiProperty({ enum: salesActivityKinds, example: 'call' })
  @IsIn(salesActivityKinds, { message: `kind must be one of ${salesActivityKinds.join(', ')}` })
  kind!: SalesActivityKind;

  @ApiPropertyOptional({ enum: salesActivityOutcomes, example: 'left_message' })
  @IsOptional()
  @IsIn(salesActivityOutcomes, {
    message: `outcome must be one of ${salesActivityOutcomes.join(', ')}`,
  })
  outcome?: SalesActivityOutcome;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: 'call back on Tuesday' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
