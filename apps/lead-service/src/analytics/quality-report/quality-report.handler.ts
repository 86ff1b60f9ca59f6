import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { qualityReport } from '@lead/read-models';
import type { QualityReportSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { QualityReportQuery } from './quality-report.query';

@QueryHandler(QualityReportQuery)
export class QualityReportHandler implements IQueryHandler<QualityReportQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: QualityReportQuery): Promise<QualityReportSchema> {
    const range = businessTimeRange(request);
    const { store, asOf } = await this.source.view(request, 'leads');
    const report = await qualityReport(store, { ...range, groupBy: request.groupBy ?? 'campaign' });
    return { groupBy: report.groupBy, asOf, rows: report.rows };
  }
}
