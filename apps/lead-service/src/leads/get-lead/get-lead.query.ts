import { Query } from '@nestjs/cqrs';
import type { Actor } from '@lead/event-store';
import type { LeadSchema } from '../../openapi/lead.schemas';
import type { GetLeadRequest } from './get-lead.request';

export class GetLeadQuery extends Query<LeadSchema> {
  constructor(
    readonly leadId: string,
    readonly request: GetLeadRequest,
    readonly actor: Actor,
  ) {
    super();
  }
}
