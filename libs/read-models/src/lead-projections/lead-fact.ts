import { type LeadFact, leadStreamPrefix } from '@lead/domain';
import type { RecordedEvent } from '@lead/event-store';

// Lead streams hold lead events only; the recorded event already is a LeadFact (type, data,
// metadata with eventId and occurredAt), so this is a type assertion, not a mapping.
export const asLeadFact = (event: RecordedEvent): LeadFact => event as unknown as LeadFact;

export const leadIdOf = (event: RecordedEvent): string | null =>
  event.streamId.startsWith(leadStreamPrefix)
    ? event.streamId.slice(leadStreamPrefix.length)
    : null;
