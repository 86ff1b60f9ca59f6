import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { slaFollowUps } from '@lead/read-models';
import type { SlaFollowUpsSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SlaFollowUpsQuery } from './sla-follow-ups.query';

@QueryHandler(SlaFollowUpsQuery)
export class SlaFollowUpsHandler implements IQueryHandler<SlaFollowUpsQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: SlaFollowUpsQuery): Promise<SlaFollowUpsSchema> {
    const range = businessTimeRange(request);
    const { store, asOf, now } = await this.source.view(request, 'leads');
    const { status, rep } = request;
    const items = await slaFollowUps(store, { ...range, now, status, rep });
    return { asOf, now, items };
  }
}
