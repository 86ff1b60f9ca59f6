import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { roles } from '@lead/runtime';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadScoreSchema } from '../../openapi/lead.schemas';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { GetLeadScoreQuery } from './get-lead-score.query';
import { GetLeadScoreRequest } from './get-lead-score.request';

@ApiTags('leads')
@Controller('leads')
export class GetLeadScoreController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/score')
  @Authorized(...roles)
  @ApiOperation({
    summary: "The evidence for a lead's score at a business time",
    description:
      'Evaluated at `at` (default now) under the agreement in force then, on the facts dated by then and recorded so far: under rule-based scoring every contributing rule (fit, engagement with decay at `at`); under external scoring the latest score a client sent by then (kind external). 404 also when the lead was captured after `at`.',
  })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadScoreSchema })
  @ApiProblems(400, 404)
  score(
    @Param('id', LeadIdPipe) leadId: string,
    @Query() query: GetLeadScoreRequest,
  ): Promise<LeadScoreSchema> {
    return this.queryBus.execute(new GetLeadScoreQuery(leadId, query));
  }
}
