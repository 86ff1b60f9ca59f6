import { Query } from '@nestjs/cqrs';
import type { MarketingScorecardSchema } from '../../openapi/closed-loop.schemas';
import type { AnalyticsQueryRequest } from '../analytics-query.request';

export class MarketingScorecardQuery extends Query<MarketingScorecardSchema> {
  constructor(
    readonly request: AnalyticsQueryRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
