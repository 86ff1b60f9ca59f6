import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { findLead } from '@lead/read-models';
import { IsOptional, Matches } from 'class-validator';
import { roles } from '@lead/runtime';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadSchema } from '../../openapi/lead.schemas';
import { consistentWithProperty } from '../../openapi/query-parameters';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { LeadIdPipe } from '../shared/lead-id.pipe';

export class GetLeadRequest {
  @ApiPropertyOptional(consistentWithProperty)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}

@ApiTags('leads')
@Controller('leads')
export class GetLeadController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get(':id')
  @Authorized(...roles)
  @ApiOperation({ summary: 'Get a lead', description: 'The lead summary from the read models.' })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadSchema })
  @ApiProblems(400, 404, 503)
  async lead(@Param('id', LeadIdPipe) leadId: string, @Query() query: GetLeadRequest) {
    const { store } = await this.source.view(query, 'leads');
    const lead = await findLead(store, leadId);
    if (!lead)
      throw new NotFoundException({
        code: 'lead_not_found',
        detail: `lead ${leadId} does not exist`,
      });
    return lead;
  }
}
