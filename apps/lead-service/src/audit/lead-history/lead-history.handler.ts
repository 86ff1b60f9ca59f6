import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { leadNotFound, leadStream } from '@lead/domain';
import { EventStore, verifyChain } from '@lead/event-store';
import type { LeadHistorySchema } from '../../openapi/lead.schemas';
import { LeadHistoryQuery } from './lead-history.query';

// Read straight from the event log, not a read model: this is the audit trail. Personal fields
// show decrypted, or null with personalDataErased once erased; the chain is verified over the data
// as stored (ciphertext), so erasure never breaks it.
@QueryHandler(LeadHistoryQuery)
export class LeadHistoryHandler implements IQueryHandler<LeadHistoryQuery> {
  constructor(private readonly store: EventStore) {}

  async execute({ leadId }: LeadHistoryQuery): Promise<LeadHistorySchema> {
    const events = await this.store.readStream(leadStream(leadId));
    if (events.length === 0) throw leadNotFound(leadId);
    return {
      leadId,
      events: events.map(({ storedData: _stored, ...event }) => ({
        ...event,
        position: event.position.toString(),
      })),
      chain: verifyChain(events),
    };
  }
}
