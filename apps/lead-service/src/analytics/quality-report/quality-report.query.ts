import { Query } from '@nestjs/cqrs';
import type { QualityReportSchema } from '../../openapi/closed-loop.schemas';
import type { QualityReportRequest } from './quality-report.request';

export class QualityReportQuery extends Query<QualityReportSchema> {
  constructor(
    readonly request: QualityReportRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
