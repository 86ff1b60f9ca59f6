import { Controller, Get, Param } from '@nestjs/common';
import { DomainError, leadStream } from '@lead/domain';
import { type ChainVerdict, EventStore, type RecordedEvent, verifyChain } from '@lead/event-store';
import { Roles } from '../../auth/api-key.guard';
import { LeadIdPipe } from '../shared/lead-id.pipe';

type HistoryEvent = Omit<RecordedEvent, 'position'> & { position: string };
export type LeadHistoryResponse = { leadId: string; events: HistoryEvent[]; chain: ChainVerdict };

// Read straight from the event log, not a read model: this is the audit trail.
@Controller('leads')
export class LeadHistoryController {
  constructor(private readonly store: EventStore) {}

  @Get(':id/history')
  @Roles('auditor')
  async history(@Param('id', LeadIdPipe) leadId: string): Promise<LeadHistoryResponse> {
    const events = await this.store.readStream(leadStream(leadId));
    if (events.length === 0)
      throw new DomainError('lead_not_found', `lead ${leadId} does not exist`);
    return {
      leadId,
      events: events.map((event) => ({ ...event, position: event.position.toString() })),
      chain: verifyChain(events),
    };
  }
}
