import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { marketingTargetAt } from '@lead/domain';
import { marketingScorecard } from '@lead/read-models';
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

  // The targets come from the agreement in force at each month's start.
  async execute({ request }: MarketingScorecardQuery): Promise<MarketingScorecardSchema> {
    const range = businessTimeRange(request);
    const agreement = await this.agreement.state();
    const { store, asOf } = await this.source.view(request, 'leads');
    const targetAt = (at: string) => marketingTargetAt(agreement, at);
    return { asOf, ...(await marketingScorecard(store, { ...range, targetAt })) };
  }
}
