import type { RecordedEvent, StoredEvent } from '@lead/event-store';
import type { Doc } from './read-store.port';

/**
 * A read model as a pure function per event. `documentId` routes an event to the document it
 * changes (null = the event is irrelevant); `apply` returns the new document, or null to delete
 * it. The runner, not the projection, handles idempotency (`_position`) and checkpoints, and
 * strips `_position` before `apply` sees a stored document.
 *
 * `E` is what the streams it reads hold (lead projections read lead streams: LeadEvent).
 *
 * Bump `version` whenever `apply` or the document shape changes: a runner finding different
 * versions in the store rebuilds its collections from the log.
 */
export type Projection<D extends Doc = Doc, E extends StoredEvent = StoredEvent> = {
  name: string;
  version: number;
  collection: string;
  documentId(event: RecordedEvent<E>): string | null;
  apply(doc: D | null, event: RecordedEvent<E>): D | null;
};
