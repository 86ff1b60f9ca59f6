import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { MarketingScorecardSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsQueryRequest } from '../analytics-query.request';
import { MarketingScorecardQuery } from './marketing-scorecard.query';

@ApiTags('closed loop')
@Controller('scorecards')
export class MarketingScorecardController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('marketing')
  @Authorized('analyst', 'marketing_manager', 'sales_manager')
  @ApiOperation({
    summary: 'Marketing scorecard: volume and quality per month against the agreement',
    description:
      'Per month: MQLs (by qualification time), leads delivered (first handoffs, as the volume SLA of /sla/summary) against marketing.mqlsPerMonth, and of every handoff marketing made that month the accepted, rejected and overturned ones; acceptanceRate = accepted / (accepted + rejected − overturned) against marketing.minAcceptanceRate. Targets come from the agreement in force at the month’s start (qualityMet null without a minimum or without responses). sourcedRevenue: leads sourced by marketing, per currency, in the month they converted. from/to apply to each fact’s own time.',
  })
  @ApiOkResponse({ type: MarketingScorecardSchema })
  @ApiProblems(400, 503)
  scorecard(
    @Query() query: AnalyticsQueryRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<MarketingScorecardSchema> {
    return this.queryBus.execute(new MarketingScorecardQuery(query, signal));
  }
}
