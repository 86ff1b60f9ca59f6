import { Query } from '@nestjs/cqrs';
import type { LeadAttributionSchema } from '../../openapi/analytics.schemas';
import type { LeadAttributionRequest } from './lead-attribution.request';

export class LeadAttributionQuery extends Query<LeadAttributionSchema> {
  constructor(
    readonly leadId: string,
    readonly request: LeadAttributionRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
