import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type QualityGrouping, qualityGroupings } from '@lead/read-models';
import { AnalyticsQueryRequest } from '../analytics-query.request';

export class QualityReportRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: [...qualityGroupings], default: 'campaign' })
  @IsOptional()
  @IsIn(qualityGroupings, { message: `groupBy must be one of ${qualityGroupings.join(', ')}` })
  groupBy?: QualityGrouping;
}
