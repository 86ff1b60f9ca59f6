import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type SlaGrouping, slaGroupings } from '@lead/read-models';
import { AnalyticsQueryRequest } from '../analytics-query.request';

export class SlaSummaryRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: [...slaGroupings], default: 'rep' })
  @IsOptional()
  @IsIn(slaGroupings, { message: `groupBy must be one of ${slaGroupings.join(', ')}` })
  groupBy?: SlaGrouping;
}
