import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, leadStream } from '@lead/domain';
import { type ChainVerdict, EventStore, type RecordedEvent, verifyChain } from '@lead/event-store';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadIdParam } from '../../openapi/api-lead-command.decorator';
import { ApiProblems } from '../../openapi/api-problems.decorator';
import { LeadHistorySchema } from '../../openapi/lead.schemas';
import { LeadIdPipe } from '../shared/lead-id.pipe';

type HistoryEvent = Omit<RecordedEvent, 'position' | 'storedData'> & { position: string };
export type LeadHistoryResponse = { leadId: string; events: HistoryEvent[]; chain: ChainVerdict };

// Read straight from the event log, not a read model: this is the audit trail. Personal fields
// show decrypted, or null with personalDataErased once erased; the chain is verified over the data
// as stored (ciphertext), so erasure never breaks it.
@ApiTags('audit')
@Controller('leads')
export class LeadHistoryController {
  constructor(private readonly store: EventStore) {}

  @Get(':id/history')
  @Authorized('auditor')
  @ApiOperation({
    summary: 'Audit history of a lead',
    description:
      'Every event of the lead with all metadata, read from the log itself, and the result of the hash chain check (tampering or a deleted event breaks it).',
  })
  @ApiLeadIdParam()
  @ApiOkResponse({ type: LeadHistorySchema })
  @ApiProblems(400, 404)
  async history(@Param('id', LeadIdPipe) leadId: string): Promise<LeadHistoryResponse> {
    const events = await this.store.readStream(leadStream(leadId));
    if (events.length === 0)
      throw new DomainError('lead_not_found', `lead ${leadId} does not exist`);
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
