import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type AttributionModel, attributionModels } from '@lead/domain';
import { type AttributionGrouping, attributionGroupings } from '@lead/read-models';
import { AnalyticsQueryRequest, modelProperty } from '../analytics-query.request';

export class AttributionReportRequest extends AnalyticsQueryRequest {
  @ApiProperty(modelProperty)
  @IsIn(attributionModels, { message: `model must be one of ${attributionModels.join(', ')}` })
  model!: AttributionModel;

  @ApiPropertyOptional({
    enum: [...attributionGroupings],
    default: 'campaign',
    description: 'sourcedBy credits the sourcing team with the full amount',
  })
  @IsOptional()
  @IsIn(attributionGroupings, {
    message: `groupBy must be one of ${attributionGroupings.join(', ')}`,
  })
  groupBy?: AttributionGrouping;
}
