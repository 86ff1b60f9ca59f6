import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LeadIdPipe } from '../../leads/shared/lead-id.pipe';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadHistorySchema } from '../../openapi/lead.schemas';
import { LeadHistoryQuery } from './lead-history.query';

@ApiTags('audit')
@Controller('leads')
export class LeadHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/history')
  @Authorized('auditor')
  @ApiOperation({
    summary: 'Audit history of a lead',
    description:
      'Every event of the lead with all metadata, read from the log itself, and the result of the hash chain check (tampering or a deleted event breaks it).',
  })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadHistorySchema })
  @ApiProblems(400, 404)
  history(@Param('id', LeadIdPipe) leadId: string): Promise<LeadHistorySchema> {
    return this.queryBus.execute(new LeadHistoryQuery(leadId));
  }
}
