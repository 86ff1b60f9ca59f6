import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { leadNotFound } from '@lead/domain';
import { findLead } from '@lead/read-models';
import type { LeadSchema } from '../../openapi/lead.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { PersonalDataAccessPolicy } from '../shared/personal-data-access';
import { GetLeadQuery } from './get-lead.query';

@QueryHandler(GetLeadQuery)
export class GetLeadHandler implements IQueryHandler<GetLeadQuery> {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly personalData: PersonalDataAccessPolicy,
  ) {}

  async execute({ leadId, request, actor }: GetLeadQuery): Promise<LeadSchema> {
    const { store } = await this.source.view(request);
    const lead = await findLead(store, leadId, this.personalData.accessFor(actor));
    if (!lead) throw leadNotFound(leadId);
    return lead;
  }
}
