import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LeadIdPipe } from '../../leads/shared/lead-id.pipe';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { RequestSignal } from '../../http/request-signal';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadAttributionSchema } from '../../openapi/analytics.schemas';
import { LeadAttributionQuery } from './lead-attribution.query';
import { LeadAttributionRequest } from './lead-attribution.request';

@ApiTags('analytics')
@Controller('attribution')
export class LeadAttributionController {
  constructor(private readonly queryBus: QueryBus) {}

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
  lead(
    @Param('id', LeadIdPipe) leadId: string,
    @Query() query: LeadAttributionRequest,
    @RequestSignal() signal: AbortSignal,
  ): Promise<LeadAttributionSchema> {
    return this.queryBus.execute(new LeadAttributionQuery(leadId, query, signal));
  }
}
