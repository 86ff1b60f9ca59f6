import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { findLead } from '@lead/read-models';
import { IsOptional, Matches } from 'class-validator';
import { roles } from '@lead/runtime';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadSchema, personalFieldsNote } from '../../openapi/lead.schemas';
import { consistentWithProperty } from '../../openapi/query-parameters';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { PersonalDataAccessPolicy } from '../shared/personal-data-access';
import { CurrentActor } from '../../auth/api-key.guard';
import type { Actor } from '@lead/event-store';

export class GetLeadRequest {
  @ApiPropertyOptional(consistentWithProperty)
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}

@ApiTags('leads')
@Controller('leads')
export class GetLeadController {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly personalData: PersonalDataAccessPolicy,
  ) {}

  @Get(':id')
  @Authorized(...roles)
  @ApiOperation({
    summary: 'Get a lead',
    description: `The lead summary from the read models. ${personalFieldsNote}`,
  })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadSchema })
  @ApiProblems(400, 404, 503)
  async lead(
    @Param('id', LeadIdPipe) leadId: string,
    @Query() query: GetLeadRequest,
    @CurrentActor() actor: Actor,
  ) {
    const { store } = await this.source.view(query, 'leads');
    const lead = await findLead(store, leadId, this.personalData.accessFor(actor));
    if (!lead)
      throw new NotFoundException({
        code: 'lead_not_found',
        detail: `lead ${leadId} does not exist`,
      });
    return lead;
  }
}
