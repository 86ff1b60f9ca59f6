import type { ReadAllOptions, RecordedEvent, StoredEvent } from '@lead/event-store';
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
  /**
   * 'sealed' when `apply` needs no personal field in the clear (it keeps the ciphertext of
   * `storedData`, or ignores them): when every projection of a run says so, the event store skips
   * decrypting. Default 'revealed'.
   */
  personalData?: 'revealed' | 'sealed';
  documentId(event: RecordedEvent<E>): string | null;
  apply(doc: D | null, event: RecordedEvent<E>): D | null;
};

/** How the events must be read for these projections: decrypted unless none needs it. */
export const personalDataFor = (
  projections: readonly Projection[],
): ReadAllOptions['personalData'] =>
  projections.every((projection) => projection.personalData === 'sealed') ? 'sealed' : 'revealed';
