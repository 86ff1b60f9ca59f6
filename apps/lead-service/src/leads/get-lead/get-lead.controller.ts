import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@lead/event-store';
import { roles } from '@lead/runtime';
import { CurrentActor } from '../../auth/api-key.guard';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadSchema, personalFieldsNote } from '../../openapi/lead.schemas';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { GetLeadQuery } from './get-lead.query';
import { GetLeadRequest } from './get-lead.request';

@ApiTags('leads')
@Controller('leads')
export class GetLeadController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Authorized(...roles)
  @ApiOperation({
    summary: 'Get a lead',
    description: `The lead summary from the read models. ${personalFieldsNote}`,
  })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadSchema })
  @ApiProblems(400, 404, 503)
  lead(
    @Param('id', LeadIdPipe) leadId: string,
    @Query() query: GetLeadRequest,
    @CurrentActor() actor: Actor,
  ): Promise<LeadSchema> {
    return this.queryBus.execute(new GetLeadQuery(leadId, query, actor));
  }
}
