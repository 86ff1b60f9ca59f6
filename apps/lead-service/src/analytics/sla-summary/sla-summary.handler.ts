import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AppSettings } from '../../config/app-settings';
import type { SlaSummarySchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SlaSummaryQuery } from './sla-summary.query';

@QueryHandler(SlaSummaryQuery)
export class SlaSummaryHandler implements IQueryHandler<SlaSummaryQuery> {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly settings: AppSettings,
  ) {}

  execute({ request, signal }: SlaSummaryQuery): Promise<SlaSummarySchema> {
    const params = {
      ...businessTimeRange(request),
      groupBy: request.groupBy ?? 'rep',
      targetPerMonth: this.settings.config.mqlTargetPerMonth,
    };
    return this.source.answer('slaSummary', request, params, signal);
  }
}
