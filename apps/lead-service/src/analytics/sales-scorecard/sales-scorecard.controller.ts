import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { SalesScorecardSchema } from '../../openapi/closed-loop.schemas';
import { SalesScorecardQuery } from './sales-scorecard.query';
import { SalesScorecardRequest } from './sales-scorecard.request';

@ApiTags('closed loop')
@Controller('scorecards')
export class SalesScorecardController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('sales')
  @Authorized('analyst', 'marketing_manager', 'sales_manager')
  @ApiOperation({
    summary: 'Sales scorecard: response, follow-up, pipeline and wrongful rejections',
    description:
      'Per rep or handoff month, every handoff row (a reassignment is the new rep’s own row) judged at now (or asOf) by the SLA rules of /sla/handoffs and /sla/follow-ups. Response facts count for the rep handed to, an accepted handoff’s follow-up and outcome for the rep who accepted it. responseCompliance = met / (met + breached), where an unanswered handoff past due is breached; followUpCompliance likewise; worked = accepted handoffs with at least one activity; sql counts won deals too (as the funnel); closeRate = converted / (converted + lost); null when the denominator is 0; revenue per currency. from/to select handoffs by handoff time.',
  })
  @ApiOkResponse({ type: SalesScorecardSchema })
  @ApiProblems(400, 503)
  scorecard(
    @Query() query: SalesScorecardRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<SalesScorecardSchema> {
    return this.queryBus.execute(new SalesScorecardQuery(query, signal));
  }
}
