import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { findLead } from '@lead/read-models';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '../../auth/api-key.guard';
import { roles } from '@lead/runtime';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { LeadIdPipe } from '../shared/lead-id.pipe';

export class GetLeadRequest {
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'consistentWith must be a position (a decimal number)' })
  consistentWith?: string;
}

@Controller('leads')
export class GetLeadController {
  constructor(private readonly source: AnalyticsSource) {}

  @Get(':id')
  @Roles(...roles)
  async lead(@Param('id', LeadIdPipe) leadId: string, @Query() query: GetLeadRequest) {
    const { store } = await this.source.view(query);
    const lead = await findLead(store, leadId);
    if (!lead)
      throw new NotFoundException({
        code: 'lead_not_found',
        detail: `lead ${leadId} does not exist`,
      });
    return lead;
  }
}
