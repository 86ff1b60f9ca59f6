import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { AttributionReportSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { AttributionReportQuery } from './attribution-report.query';

@QueryHandler(AttributionReportQuery)
export class AttributionReportHandler implements IQueryHandler<AttributionReportQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: AttributionReportQuery): Promise<AttributionReportSchema> {
    const range = businessTimeRange(request);
    return this.source.answer(
      'attributionReport',
      request,
      { model: request.model, groupBy: request.groupBy ?? 'campaign', ...range },
      signal,
    );
  }
}
