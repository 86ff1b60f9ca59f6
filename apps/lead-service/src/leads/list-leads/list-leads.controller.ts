import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@lead/event-store';
import { roles } from '@lead/runtime';
import { CurrentActor } from '../../auth/api-key.guard';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadPageSchema, personalFieldsNote } from '../../openapi/lead.schemas';
import { ListLeadsQuery } from './list-leads.query';
import { ListLeadsRequest } from './list-leads.request';

@ApiTags('leads')
@Controller('leads')
export class ListLeadsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @Authorized(...roles)
  @ApiOperation({
    summary: 'List leads',
    description: `Filtered by stage, owner or campaign; ordered by lead id and paged with an opaque cursor. ${personalFieldsNote}`,
  })
  @ApiOkResponse({ type: LeadPageSchema })
  @ApiProblems(400, 503)
  list(@Query() query: ListLeadsRequest, @CurrentActor() actor: Actor): Promise<LeadPageSchema> {
    return this.queryBus.execute(new ListLeadsQuery(query, actor));
  }
}
