import { Query } from '@nestjs/cqrs';
import type { SlaHandoffsSchema } from '../../openapi/analytics.schemas';
import type { SlaHandoffsRequest } from './sla-handoffs.request';

export class SlaHandoffsQuery extends Query<SlaHandoffsSchema> {
  constructor(
    readonly request: SlaHandoffsRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
