import type { RecordedEvent } from '@lead/event-store';
import type { Projection } from './projection';
import type { Doc, DocumentWrite } from './read-store.port';

/** Where events that made a projection throw are parked (a metric counts its documents). */
export const deadLettersCollection = 'dead_letters';

/** One parked event of one projection; `_position` is the event's position. */
export type DeadLetterDoc = Doc & {
  /** `<projection>@<position>` */
  _id: string;
  projection: string;
  /** the projection's collection */
  collection: string;
  /** the document the event was routed to; null when routing itself threw */
  documentId: string | null;
  /** the event's global position, as a decimal string */
  position: string;
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  error: string;
  parkedAt: string;
  lastAttemptAt: string;
  attempts: number;
};

const maxErrorLength = 2_000;

export const deadLetterId = (projection: Pick<Projection, 'name'>, position: bigint): string =>
  `${projection.name}@${position}`;

export const errorMessage = (error: unknown): string => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.length > maxErrorLength ? `${message.slice(0, maxErrorLength)}…` : message;
};

/** The write that parks `event` for `projection` (guarded by the event's position like any write). */
export const parkedEventWrite = (
  projection: Projection,
  documentId: string | null,
  event: RecordedEvent,
  error: unknown,
  now: string,
): DocumentWrite & { doc: DeadLetterDoc } => {
  const id = deadLetterId(projection, event.position);
  return {
    collection: deadLettersCollection,
    id,
    position: event.position,
    doc: {
      _id: id,
      projection: projection.name,
      collection: projection.collection,
      documentId,
      position: event.position.toString(),
      streamId: event.streamId,
      revision: event.revision,
      eventId: event.metadata.eventId,
      type: event.type,
      error: errorMessage(error),
      parkedAt: now,
      lastAttemptAt: now,
      attempts: 1,
    },
  };
};
