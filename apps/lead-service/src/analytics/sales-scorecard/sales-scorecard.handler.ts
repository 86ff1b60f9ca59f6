import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { salesScorecard } from '@lead/read-models';
import type { SalesScorecardSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SalesScorecardQuery } from './sales-scorecard.query';

@QueryHandler(SalesScorecardQuery)
export class SalesScorecardHandler implements IQueryHandler<SalesScorecardQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: SalesScorecardQuery): Promise<SalesScorecardSchema> {
    const range = businessTimeRange(request);
    const { store, asOf, now } = await this.source.view(request, 'leads');
    const scorecard = await salesScorecard(store, {
      ...range,
      now,
      groupBy: request.groupBy ?? 'rep',
    });
    return { groupBy: scorecard.groupBy, asOf, now, rows: scorecard.rows };
  }
}
