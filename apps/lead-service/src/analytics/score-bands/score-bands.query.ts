import { Query } from '@nestjs/cqrs';
import type { ScoreBandsSchema } from '../../openapi/closed-loop.schemas';
import type { AnalyticsQueryRequest } from '../analytics-query.request';

export class ScoreBandsQuery extends Query<ScoreBandsSchema> {
  constructor(
    readonly request: AnalyticsQueryRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
