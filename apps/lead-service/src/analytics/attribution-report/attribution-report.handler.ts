import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { attributionReport } from '@lead/read-models';
import type { AttributionReportSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { AttributionReportQuery } from './attribution-report.query';

@QueryHandler(AttributionReportQuery)
export class AttributionReportHandler implements IQueryHandler<AttributionReportQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: AttributionReportQuery): Promise<AttributionReportSchema> {
    const range = businessTimeRange(request);
    const { store, asOf } = await this.source.view(request, 'attribution');
    const report = await attributionReport(store, {
      model: request.model,
      groupBy: request.groupBy ?? 'campaign',
      ...range,
    });
    return {
      model: report.model,
      groupBy: report.groupBy,
      asOf,
      rows: report.rows,
      totals: report.totals,
    };
  }
}
