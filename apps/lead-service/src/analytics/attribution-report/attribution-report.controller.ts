import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { AttributionReportSchema } from '../../openapi/analytics.schemas';
import { AttributionReportQuery } from './attribution-report.query';
import { AttributionReportRequest } from './attribution-report.request';

@ApiTags('analytics')
@Controller('attribution')
export class AttributionReportController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Authorized('analyst')
  @ApiOperation({
    summary: 'Attribution report',
    description:
      'Converted revenue credited to campaigns, channels or sourcing teams under one model, per currency (currencies are never added). from/to filter by conversion time.',
  })
  @ApiOkResponse({ type: AttributionReportSchema })
  @ApiProblems(400, 503)
  report(
    @Query() query: AttributionReportRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<AttributionReportSchema> {
    return this.queryBus.execute(new AttributionReportQuery(query, signal));
  }
}
