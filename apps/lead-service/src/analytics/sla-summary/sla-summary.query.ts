import { Query } from '@nestjs/cqrs';
import type { SlaSummarySchema } from '../../openapi/analytics.schemas';
import type { SlaSummaryRequest } from './sla-summary.request';

export class SlaSummaryQuery extends Query<SlaSummarySchema> {
  constructor(
    readonly request: SlaSummaryRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
