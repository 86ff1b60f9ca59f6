import type { ExpectedRevision, NewEvent } from './event-store.port';

/**
 * What every adapter refuses before it touches storage (a programming error, not a conflict):
 * null when the append is well-formed. `isReserved` names streams the technology keeps for itself.
 */
export const appendInputError = (
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  isReserved: (streamId: string) => boolean = () => false,
): string | null => {
  if (typeof streamId !== 'string' || streamId.length === 0)
    return 'stream id must be a non-empty string';
  if (isReserved(streamId)) return `stream ${streamId}: system streams ($…) are not writable here`;
  if (events.length === 0) return `stream ${streamId}: append needs at least one event`;
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    return `stream ${streamId}: expected revision must be a non-negative integer, got ${expected}`;
  }
  if (new Set(events.map((event) => event.metadata.eventId)).size !== events.length) {
    return `stream ${streamId}: the events of one append must have distinct ids`;
  }
  return null;
};

/** A connection string fit for logs and errors: the credentials before `@` are masked. */
export const redactConnectionString = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');
