import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { ScoreBandsSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsQueryRequest } from '../analytics-query.request';
import { ScoreBandsQuery } from './score-bands.query';

@ApiTags('closed loop')
@Controller('quality')
export class ScoreBandsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('score-bands')
  @Authorized('analyst')
  @ApiOperation({
    summary: 'Does the score at handoff predict acceptance and conversion?',
    description:
      'The handoffs marketing made, by the lead’s score when handed off: bands 0-19, 20-39, 40-59, 60-79, 80-100 (always all five), and none for handoffs without a score (only if any). acceptanceRate = accepted / (accepted + rejected − overturned); conversionRate = converted / accepted; null when the denominator is 0. from/to select handoffs by handoff time.',
  })
  @ApiOkResponse({ type: ScoreBandsSchema })
  @ApiProblems(400, 503)
  bands(
    @Query() query: AnalyticsQueryRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<ScoreBandsSchema> {
    return this.queryBus.execute(new ScoreBandsQuery(query, signal));
  }
}
