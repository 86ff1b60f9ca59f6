import type { ReadAllOptions, RecordedEvent, StoredEvent } from '@lead/event-store';
import type { Doc, ReadIndexSpec } from './read-store.port';

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
  /**
   * Top-level fields its queries filter on, each holding a string, number, boolean or null
   * (never an array): indexed on every adapter, so a query narrowed by one reads only the
   * documents that can match.
   */
  indexes?: readonly string[];
};

/** How the events must be read for these projections: decrypted unless none needs it. */
export const personalDataFor = (
  projections: readonly Projection[],
): ReadAllOptions['personalData'] =>
  projections.every((projection) => projection.personalData === 'sealed') ? 'sealed' : 'revealed';

/**
 * One index per declared field, with `_id` after it: a page of documents with one value, in id
 * order (how lead lists page), reads the index in order and stops at the page's end.
 */
export const projectionIndexes = (projections: readonly Projection[]): ReadIndexSpec[] =>
  projections.flatMap(({ collection, indexes = [] }) =>
    indexes.map((field) => ({ collection, key: { [field]: 1 as const, _id: 1 as const } })),
  );
