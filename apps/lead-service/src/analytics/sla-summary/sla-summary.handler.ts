import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AgreementBook } from '../../agreements/agreement-book';
import type { SlaSummarySchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SlaSummaryQuery } from './sla-summary.query';

@QueryHandler(SlaSummaryQuery)
export class SlaSummaryHandler implements IQueryHandler<SlaSummaryQuery> {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly agreement: AgreementBook,
  ) {}

  // Marketing's targets come from the agreement in force at each month's start.
  async execute({ request, signal }: SlaSummaryQuery): Promise<SlaSummarySchema> {
    const params = {
      ...businessTimeRange(request),
      groupBy: request.groupBy ?? 'rep',
      agreement: await this.agreement.state(),
    };
    return this.source.answer('slaSummary', request, params, signal);
  }
}
