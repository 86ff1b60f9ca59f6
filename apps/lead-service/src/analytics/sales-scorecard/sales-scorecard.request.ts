import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type SalesScorecardGrouping, salesScorecardGroupings } from '@lead/read-models';
import { AnalyticsQueryRequest } from '../analytics-query.request';

export class SalesScorecardRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: [...salesScorecardGroupings], default: 'rep' })
  @IsOptional()
  @IsIn(salesScorecardGroupings, {
    message: `groupBy must be one of ${salesScorecardGroupings.join(', ')}`,
  })
  groupBy?: SalesScorecardGrouping;
}
