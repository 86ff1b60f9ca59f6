import { Query } from '@nestjs/cqrs';
import type { LeadScoreSchema } from '../../openapi/lead.schemas';
import type { GetLeadScoreRequest } from './get-lead-score.request';

export class GetLeadScoreQuery extends Query<LeadScoreSchema> {
  constructor(
    readonly leadId: string,
    readonly request: GetLeadScoreRequest,
  ) {
    super();
  }
}
