import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { SalesScorecardSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SalesScorecardQuery } from './sales-scorecard.query';

@QueryHandler(SalesScorecardQuery)
export class SalesScorecardHandler implements IQueryHandler<SalesScorecardQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: SalesScorecardQuery): Promise<SalesScorecardSchema> {
    const params = { ...businessTimeRange(request), groupBy: request.groupBy ?? 'rep' };
    return this.source.answer('salesScorecard', request, params, signal);
  }
}
