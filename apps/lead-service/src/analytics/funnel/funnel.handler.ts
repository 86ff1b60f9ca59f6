import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { FunnelSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { FunnelQuery } from './funnel.query';

@QueryHandler(FunnelQuery)
export class FunnelHandler implements IQueryHandler<FunnelQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: FunnelQuery): Promise<FunnelSchema> {
    return this.source.answer('funnel', request, businessTimeRange(request), signal);
  }
}
