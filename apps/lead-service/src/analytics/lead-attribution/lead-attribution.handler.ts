import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { leadNotFound } from '@lead/domain';
import { leadAttribution } from '@lead/read-models';
import type { LeadAttributionSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { LeadAttributionQuery } from './lead-attribution.query';

@QueryHandler(LeadAttributionQuery)
export class LeadAttributionHandler implements IQueryHandler<LeadAttributionQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ leadId, request }: LeadAttributionQuery): Promise<LeadAttributionSchema> {
    const { store, asOf } = await this.source.view(request, 'attribution');
    const view = await leadAttribution(store, leadId, request.model);
    if (!view) throw leadNotFound(leadId);
    return { ...view, asOf };
  }
}
