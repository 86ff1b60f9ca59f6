import { leadStreamPrefix } from '@lead/domain';
import type { RecordedEvent } from '@lead/event-store';

export const leadIdOf = (event: RecordedEvent): string | null =>
  event.streamId.startsWith(leadStreamPrefix)
    ? event.streamId.slice(leadStreamPrefix.length)
    : null;
