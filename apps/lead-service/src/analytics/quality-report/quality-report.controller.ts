import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { QualityReportSchema } from '../../openapi/closed-loop.schemas';
import { QualityReportQuery } from './quality-report.query';
import { QualityReportRequest } from './quality-report.request';

@ApiTags('closed loop')
@Controller('quality')
export class QualityReportController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Authorized('analyst')
  @ApiOperation({
    summary: 'Lead quality: how sales answered marketing’s handoffs',
    description:
      'Per campaign or channel (the lead’s capture source), sourcing team or handoff month: the handoffs marketing made (re-handoffs included; a handoff a breach remedy reassigned is judged by its reassignment’s answer), accepted, rejected with reasons, overturned, converted, revenue per currency and the mean score at handoff. acceptanceRate = accepted / (accepted + rejected − overturned): an overturned rejection leaves the denominator; conversionRate = converted / accepted; null when the denominator is 0. from/to select handoffs by handoff time.',
  })
  @ApiOkResponse({ type: QualityReportSchema })
  @ApiProblems(400, 503)
  report(
    @Query() query: QualityReportRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<QualityReportSchema> {
    return this.queryBus.execute(new QualityReportQuery(query, signal));
  }
}
