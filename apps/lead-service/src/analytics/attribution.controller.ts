import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { type AttributionModel, attributionModels } from '@lead/domain';
import {
  type AttributionGrouping,
  attributionGroupings,
  attributionReport,
  leadAttribution,
} from '@lead/read-models';
import { IsIn, IsOptional } from 'class-validator';
import { LeadIdPipe } from '../leads/shared/lead-id.pipe';
import { Authorized } from '../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../openapi/api-lead-command.decorator';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { AttributionReportSchema, LeadAttributionSchema } from '../openapi/analytics.schemas';
import { asOfProperty } from '../openapi/query-parameters';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AnalyticsQueryRequest, businessTimeRange } from './analytics-query.request';

const modelProperty = {
  enum: [...attributionModels],
  description: 'attribution model (DESIGN §4); results name it with its version, e.g. w_shaped@1',
  example: 'w_shaped',
};

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

export class LeadAttributionRequest {
  @ApiProperty(modelProperty)
  @IsIn(attributionModels, { message: `model must be one of ${attributionModels.join(', ')}` })
  model!: AttributionModel;

  @ApiPropertyOptional(asOfProperty)
  @IsOptional()
  asOf?: string;
}

@ApiTags('analytics')
@Controller('attribution')
export class AttributionController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get()
  @Authorized('analyst')
  @ApiOperation({
    summary: 'Attribution report',
    description:
      'Converted revenue credited to campaigns, channels or sourcing teams under one model, per currency (currencies are never added). from/to filter by conversion time.',
  })
  @ApiOkResponse({ type: AttributionReportSchema })
  @ApiProblems(400, 503)
  async report(@Query() query: AttributionReportRequest) {
    const range = businessTimeRange(query);
    const { store, asOf } = await this.source.view(query, 'attribution');
    const report = await attributionReport(store, {
      model: query.model,
      groupBy: query.groupBy ?? 'campaign',
      ...range,
    });
    return {
      model: report.model,
      groupBy: report.groupBy,
      asOf,
      rows: report.rows,
      totals: report.totals,
    };
  }

  @Get('leads/:id')
  @Authorized('analyst', 'auditor')
  @ApiOperation({
    summary: 'Attribution of one lead',
    description:
      'The credits of each touch under one model; they sum exactly to the converted amount.',
  })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadAttributionSchema })
  @ApiProblems(400, 404)
  async lead(@Param('id', LeadIdPipe) leadId: string, @Query() query: LeadAttributionRequest) {
    const { store, asOf } = await this.source.view(query, 'attribution');
    const view = await leadAttribution(store, leadId, query.model);
    if (!view)
      throw new NotFoundException({
        code: 'lead_not_found',
        detail: `lead ${leadId} does not exist`,
      });
    return { ...view, asOf };
  }
}
