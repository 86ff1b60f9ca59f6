import { Query } from '@nestjs/cqrs';
import type { Actor } from '@lead/event-store';
import type { LeadPageSchema } from '../../openapi/lead.schemas';
import type { ListLeadsRequest } from './list-leads.request';

export class ListLeadsQuery extends Query<LeadPageSchema> {
  constructor(
    readonly request: ListLeadsRequest,
    readonly actor: Actor,
  ) {
    super();
  }
}
