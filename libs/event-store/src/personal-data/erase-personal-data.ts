import { type CommandOptions, type CommandResult, handleCommand } from '../handle-command';
import {
  type EventStore,
  type RecordedEvent,
  RevisionConflict,
  type StoredEvent,
} from '../event-store.port';
import type { PersonalDataVault } from './personal-data-vault.port';
import { sealedKeyIds } from './reveal-personal-data';

export type Erasure<E extends StoredEvent, S> = {
  /** whose data key is destroyed */
  subjectId: string;
  streamId: string;
  fold: (events: RecordedEvent<E>[]) => S;
  /** the event recording the erasure; none when the subject was erased before */
  decide: (state: S) => E[];
  /** the type of that event, to answer a repeated erasure with the first one */
  erasedEventType: string;
};

/**
 * GDPR erasure by crypto-shredding: destroys the subject's data keys, then records the erasure.
 * The key goes first: if the append fails the data is already unreadable and a retry records the
 * event; the reverse order could leave a log that claims an erasure that did not happen. So
 * the decision (unknown subject, already erased) and If-Match are checked before the key is
 * touched. Erasing again records nothing and answers with the first erasure (two erasures racing
 * may both record the event, which is harmless).
 */
export const erasePersonalData = async <E extends StoredEvent, S>(
  store: EventStore,
  vault: PersonalDataVault,
  erasure: Erasure<E, S>,
  options: CommandOptions,
): Promise<CommandResult> => {
  const { subjectId, streamId, fold, decide, erasedEventType } = erasure;
  const stored = await store.readStream<E>(streamId);
  const events = decide(fold(stored));
  const revision = stored.length - 1;
  if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
    const actual = revision < 0 ? 'no_stream' : revision;
    throw new RevisionConflict(streamId, options.expectedRevision, actual);
  }
  // the keys named in the stream too: a key's binding to its subject may not have survived a crash
  const keyIds = sealedKeyIds(
    stored.flatMap((event) => Object.values(event.storedData ?? event.data)),
  );
  await vault.destroyKeys(subjectId, keyIds);
  if (events.length > 0) return handleCommand(store, streamId, fold, () => events, options);
  const first = stored.find((event) => event.type === erasedEventType);
  if (!first) throw new Error(`${streamId} decided no erasure but records none`);
  return { revision: first.revision, position: first.position, replayed: true };
};
