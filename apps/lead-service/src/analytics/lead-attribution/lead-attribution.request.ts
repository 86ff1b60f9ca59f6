import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type AttributionModel, attributionModels } from '@lead/domain';
import { asOfProperty } from '../../openapi/query-parameters';
import { modelProperty } from '../analytics-query.request';

export class LeadAttributionRequest {
  @ApiProperty(modelProperty)
  @IsIn(attributionModels, { message: `model must be one of ${attributionModels.join(', ')}` })
  model!: AttributionModel;

  @ApiPropertyOptional(asOfProperty)
  @IsOptional()
  asOf?: string;
}
