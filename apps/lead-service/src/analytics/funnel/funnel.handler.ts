import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { funnel } from '@lead/read-models';
import type { FunnelSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { FunnelQuery } from './funnel.query';

@QueryHandler(FunnelQuery)
export class FunnelHandler implements IQueryHandler<FunnelQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: FunnelQuery): Promise<FunnelSchema> {
    const range = businessTimeRange(request);
    const { store, asOf } = await this.source.view(request, 'leads');
    return { asOf, ...(await funnel(store, range)) };
  }
}
