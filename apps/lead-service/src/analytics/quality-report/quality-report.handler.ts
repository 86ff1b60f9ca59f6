import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { QualityReportSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { QualityReportQuery } from './quality-report.query';

@QueryHandler(QualityReportQuery)
export class QualityReportHandler implements IQueryHandler<QualityReportQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: QualityReportQuery): Promise<QualityReportSchema> {
    const params = { ...businessTimeRange(request), groupBy: request.groupBy ?? 'campaign' };
    return this.source.answer('quality', request, params, signal);
  }
}
