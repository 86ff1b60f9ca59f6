import { leadStreamPrefix } from '@lead/domain';
import { type EventStore, type RecordedEvent, readAllBatches } from '@lead/event-store';
import {
  type DeadLetterDoc,
  deadLetterId,
  deadLettersCollection,
  errorMessage,
  parkedEventWrite,
} from './dead-letters';
import type { Projection } from './projection';
import { type DocumentSlot, type ParkEvent, emptySlot, foldEvents } from './projection-runner';
import {
  type DocumentWrite,
  type ReadStore,
  decodePosition,
  encodePosition,
  positionField,
} from './read-store.port';

/** The checkpoint a retry commits under (the log head it repaired up to); never the projector's. */
export const retryParkedCheckpoint = `${deadLettersCollection}.retried`;

export type RetryParkedOptions = {
  /** default 'lead-', as the projector */
  streamPrefix?: string;
  batchSize?: number;
  /** stamps lastAttemptAt (and parkedAt of events that fail for the first time) */
  now?: () => Date;
};

export type RetryParkedResult = {
  /** parked events of these projections found in dead_letters */
  parked: number;
  /** re-applied without error and removed from dead_letters */
  resolved: number;
  /** failed again (or newly failed while rebuilding): parked, with attempts counted */
  failed: number;
  /** documents rebuilt from the log */
  rebuilt: number;
  /** documents a newer event reached during the retry (a running projector): left parked */
  superseded: number;
};

type Failure = {
  projection: Projection;
  documentId: string | null;
  event: RecordedEvent;
  error: unknown;
};

const documentIdOf = (
  projection: Projection,
  event: RecordedEvent,
): { ok: true; id: string | null } | { ok: false; error: unknown } => {
  try {
    return { ok: true, id: projection.documentId(event) };
  } catch (error) {
    return { ok: false, error };
  }
};

/**
 * Re-applies parked events after the projection was fixed. Applying a parked event to today's
 * document would put it after events that came later, so a retry instead rebuilds every document
 * a parked event belongs to from scratch: one pass over the log up to its head, through the same
 * projection code, as a clean rebuild would (one pass serves all parked events). The rebuilt
 * documents replace the stored ones; the parked events that applied cleanly leave dead_letters,
 * the ones that fail again stay with `attempts` counted, and an event that fails for the first
 * time while rebuilding is parked, as the projector would park it.
 *
 * Run it with the projector stopped, like `rebuild` (the CLI's retry-parked command): a
 * document a running projector moves past the retried head keeps its parked events
 * (`superseded`), to be retried again.
 */
export const retryParked = async (
  readStore: ReadStore,
  eventStore: EventStore,
  projections: readonly Projection[],
  options: RetryParkedOptions = {},
): Promise<RetryParkedResult> => {
  const streamPrefix = options.streamPrefix ?? leadStreamPrefix;
  const batchSize = options.batchSize ?? 1_000;
  const now = (options.now ?? (() => new Date()))().toISOString();
  const byName = new Map(projections.map((projection) => [projection.name, projection]));
  const letters = await readStore
    .collection<DeadLetterDoc>(deadLettersCollection)
    .find({ projection: { $in: [...byName.keys()] } }, { sort: { [positionField]: 1 } });
  const result: RetryParkedResult = {
    parked: letters.length,
    resolved: 0,
    failed: 0,
    rebuilt: 0,
    superseded: 0,
  };
  if (letters.length === 0) return result;
  const head = await eventStore.headPosition();

  // The documents to rebuild: where each event was parked and where the fixed projection routes it.
  const targets = new Map<Projection, Map<string, DocumentSlot>>();
  const target = (projection: Projection, id: string): void => {
    const slots = targets.get(projection) ?? new Map<string, DocumentSlot>();
    if (!slots.has(id)) slots.set(id, emptySlot());
    targets.set(projection, slots);
  };
  const related = new Map<string, string[]>();
  const failures = new Map<string, Failure>();
  for (const letter of letters) {
    const projection = byName.get(letter.projection)!;
    const position = BigInt(letter.position);
    // re-read by position: the event as stored (and decrypted) today
    const [event] = await eventStore.readAll({ after: position - 1n, streamPrefix, limit: 1 });
    if (!event || event.position !== position || event.metadata.eventId !== letter.eventId) {
      throw new Error(
        `parked event ${letter.eventId} is not at position ${letter.position} in the log`,
      );
    }
    const routed = documentIdOf(projection, event);
    const ids = [letter.documentId, routed.ok ? routed.id : null].filter(
      (id): id is string => id !== null,
    );
    for (const id of ids) target(projection, id);
    related.set(letter._id, ids);
  }

  // Every document starts empty and sees the log up to the head through the projector's fold.
  const park: ParkEvent = (projection, documentId, event, error) =>
    failures.set(deadLetterId(projection, event.position), {
      projection,
      documentId,
      event,
      error,
    });
  const rebuilding = [...targets.keys()];
  for await (const batch of readAllBatches(eventStore, { streamPrefix, batchSize })) {
    const upToHead = batch.filter((event) => event.position <= head);
    await foldEvents(rebuilding, upToHead, () => targets, park);
    if (upToHead.length < batch.length || batch.at(-1)!.position >= head) break;
  }

  // 1. the rebuilt documents replace the stored ones (a newer stored document wins)
  const documentWrites: DocumentWrite[] = [];
  for (const [projection, slots] of targets) {
    for (const [id, slot] of slots) {
      documentWrites.push({
        collection: projection.collection,
        id,
        doc: slot.doc,
        position: slot.changed ? slot.position : head,
        replace: true,
      });
    }
  }
  await readStore.commit(retryParkedCheckpoint, head, documentWrites);
  result.rebuilt = documentWrites.length;

  // 2. only documents that hold the rebuild let their parked events go
  const superseded = new Set<string>();
  for (const write of documentWrites) {
    const stored = await readStore.collection(write.collection).findOne({ _id: write.id });
    const holds =
      write.doc === null
        ? stored === null
        : stored?.[positionField] === encodePosition(write.position);
    if (!holds) superseded.add(`${write.collection}\u0000${write.id}`);
  }
  result.superseded = superseded.size;

  const letterWrites: DocumentWrite[] = [];
  const known = new Set<string>();
  for (const letter of letters) {
    known.add(letter._id);
    const projection = byName.get(letter.projection)!;
    const failure = failures.get(letter._id);
    const position = decodePosition(letter[positionField] as string);
    if (failure) {
      result.failed += 1;
      const { [positionField]: _stored, ...kept } = letter;
      letterWrites.push({
        collection: deadLettersCollection,
        id: letter._id,
        position,
        replace: true,
        doc: {
          ...kept,
          documentId: failure.documentId,
          error: errorMessage(failure.error),
          lastAttemptAt: now,
          attempts: letter.attempts + 1,
        },
      });
    } else if (
      (related.get(letter._id) ?? []).some((id) =>
        superseded.has(`${projection.collection}\u0000${id}`),
      )
    ) {
      continue;
    } else {
      result.resolved += 1;
      letterWrites.push({
        collection: deadLettersCollection,
        id: letter._id,
        position,
        doc: null,
        replace: true,
      });
    }
  }
  for (const [id, failure] of failures) {
    if (known.has(id)) continue;
    result.failed += 1;
    const { projection, documentId, event, error } = failure;
    letterWrites.push(parkedEventWrite(projection, documentId, event, error, now));
  }
  await readStore.commit(retryParkedCheckpoint, head, letterWrites);
  return result;
};
