import { Query } from '@nestjs/cqrs';
import type { FunnelSchema } from '../../openapi/analytics.schemas';
import type { AnalyticsQueryRequest } from '../analytics-query.request';

export class FunnelQuery extends Query<FunnelSchema> {
  constructor(
    readonly request: AnalyticsQueryRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
