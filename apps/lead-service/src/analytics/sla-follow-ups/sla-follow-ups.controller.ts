import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { SlaFollowUpsSchema } from '../../openapi/analytics.schemas';
import { SlaFollowUpsQuery } from './sla-follow-ups.query';
import { SlaFollowUpsRequest } from './sla-follow-ups.request';

@ApiTags('analytics')
@Controller('sla')
export class SlaFollowUpsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('follow-ups')
  @Authorized('analyst', 'auditor')
  @ApiOperation({
    summary: 'SLA follow-ups',
    description:
      'One row per accepted handoff whose terms carry salesFollowUp: its deadline (acceptedAt + withinHours), the outreach attempts logged and the status (met, breached, open). from/to filter by handoff time, as in GET /sla/handoffs; rep is the rep who accepted.',
  })
  @ApiOkResponse({ type: SlaFollowUpsSchema })
  @ApiProblems(400, 503)
  followUps(
    @Query() query: SlaFollowUpsRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<SlaFollowUpsSchema> {
    return this.queryBus.execute(new SlaFollowUpsQuery(query, signal));
  }
}
