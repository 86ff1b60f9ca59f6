import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { leadNotFound } from '@lead/domain';
import type { LeadAttributionSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { LeadAttributionQuery } from './lead-attribution.query';

@QueryHandler(LeadAttributionQuery)
export class LeadAttributionHandler implements IQueryHandler<LeadAttributionQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ leadId, request, signal }: LeadAttributionQuery): Promise<LeadAttributionSchema> {
    const view = await this.source.answer(
      'leadAttribution',
      request,
      { leadId, model: request.model },
      signal,
    );
    if (!view) throw leadNotFound(leadId);
    return view;
  }
}
