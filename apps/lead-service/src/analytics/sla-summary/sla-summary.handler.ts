import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { slaSummary } from '@lead/read-models';
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

  async execute({ request }: SlaSummaryQuery): Promise<SlaSummarySchema> {
    const range = businessTimeRange(request);
    const { store, asOf, now } = await this.source.view(request, 'leads');
    const summary = await slaSummary(store, {
      ...range,
      now,
      groupBy: request.groupBy ?? 'rep',
      targetPerMonth: this.settings.config.mqlTargetPerMonth,
    });
    return { asOf, now, ...summary };
  }
}
