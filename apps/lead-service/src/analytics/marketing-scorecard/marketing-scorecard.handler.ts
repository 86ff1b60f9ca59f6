import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AgreementBook } from '../../agreements/agreement-book';
import type { MarketingScorecardSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { MarketingScorecardQuery } from './marketing-scorecard.query';

@QueryHandler(MarketingScorecardQuery)
export class MarketingScorecardHandler implements IQueryHandler<MarketingScorecardQuery> {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly agreement: AgreementBook,
  ) {}

  // Marketing's targets come from the agreement in force at each month's start.
  async execute({ request, signal }: MarketingScorecardQuery): Promise<MarketingScorecardSchema> {
    const params = { ...businessTimeRange(request), agreement: await this.agreement.state() };
    return this.source.answer('marketingScorecard', request, params, signal);
  }
}
