import { Query } from '@nestjs/cqrs';
import type { QualificationWhatIfSchema } from '../../openapi/what-if.schemas';
import type { WhatIfQueryRequest } from '../what-if-query.request';

export class QualificationWhatIfQuery extends Query<QualificationWhatIfSchema> {
  constructor(
    readonly request: WhatIfQueryRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
