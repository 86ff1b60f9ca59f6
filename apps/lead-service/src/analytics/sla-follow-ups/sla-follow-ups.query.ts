import { Query } from '@nestjs/cqrs';
import type { SlaFollowUpsSchema } from '../../openapi/analytics.schemas';
import type { SlaFollowUpsRequest } from './sla-follow-ups.request';

export class SlaFollowUpsQuery extends Query<SlaFollowUpsSchema> {
  constructor(
    readonly request: SlaFollowUpsRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
