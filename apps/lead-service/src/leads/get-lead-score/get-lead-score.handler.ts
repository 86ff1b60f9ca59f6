import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type LeadEvent, leadNotFound, leadScoreAt, leadStream } from '@lead/domain';
import { EventStore } from '@lead/event-store';
import { AgreementBook } from '../../agreements/agreement-book';
import { Clock } from '../../config/app-settings';
import type { LeadScoreSchema } from '../../openapi/lead.schemas';
import { GetLeadScoreQuery } from './get-lead-score.query';

// Evidence is read from the log, not a read model: it must hold every fact recorded so far, with
// the business times the score is evaluated by.
@QueryHandler(GetLeadScoreQuery)
export class GetLeadScoreHandler implements IQueryHandler<GetLeadScoreQuery> {
  constructor(
    private readonly store: EventStore,
    private readonly agreement: AgreementBook,
    private readonly clock: Clock,
  ) {}

  async execute({ leadId, request }: GetLeadScoreQuery): Promise<LeadScoreSchema> {
    const facts = await this.store.readStream<LeadEvent>(leadStream(leadId));
    if (facts.length === 0) throw leadNotFound(leadId);
    const at = new Date(request.at ?? this.clock.now()).toISOString();
    return leadScoreAt(facts, await this.agreement.state(), at);
  }
}
