import { Query } from '@nestjs/cqrs';
import type { LeadHistorySchema } from '../../openapi/lead.schemas';

export class LeadHistoryQuery extends Query<LeadHistorySchema> {
  constructor(readonly leadId: string) {
    super();
  }
}
