import { Query } from '@nestjs/cqrs';
import type { SlaWhatIfSchema } from '../../openapi/what-if.schemas';
import type { WhatIfQueryRequest } from '../what-if-query.request';

export class SlaWhatIfQuery extends Query<SlaWhatIfSchema> {
  constructor(
    readonly request: WhatIfQueryRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
