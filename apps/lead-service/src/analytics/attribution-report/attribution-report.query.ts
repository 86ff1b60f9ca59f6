import { Query } from '@nestjs/cqrs';
import type { AttributionReportSchema } from '../../openapi/analytics.schemas';
import type { AttributionReportRequest } from './attribution-report.request';

export class AttributionReportQuery extends Query<AttributionReportSchema> {
  constructor(
    readonly request: AttributionReportRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
