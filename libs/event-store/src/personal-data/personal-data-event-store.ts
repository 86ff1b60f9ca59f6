import {
  type AppendResult,
  type EventLocation,
  EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import { type EncryptedValue, encryptValue, isEncryptedValue } from './personal-data-cipher';
import { type PersonalDataPolicy, leadPersonalDataPolicy } from './personal-data-policy';
import type { PersonalDataVault } from './personal-data-vault.port';
import {
  type RevealedPersonalData,
  type SealedPersonalData,
  type SealingKeys,
  keepPersonalDataSealed,
  openPersonalData,
  personalFieldContext,
  sealedKeyIds,
  sealingKeys,
} from './reveal-personal-data';

/**
 * Crypto-shredding around any EventStore (composition: it implements the port by delegating).
 *
 * - append: the policy's personal fields (LeadCaptured email, name and title; LeadProfileUpdated
 *   title) are encrypted with the lead's key (handed out on first use) before the inner store sees
 *   them, so the log, its hash chain and every copy of it hold ciphertext only; each ciphertext
 *   names its key.
 * - readStream, readAll, subscribe: the fields are decrypted. Once the key is destroyed they read
 *   as null and the data carries `personalDataErased: true`; a ciphertext that does not
 *   authenticate (tampered) reads as null with `personalDataUnreadable: true`. Such events keep
 *   the stored form in `storedData`, which is what `verifyChain` hashes: erasure never breaks the
 *   chain, and tampering is still reported by it. readAll and subscribe with `personalData:
 *   'sealed'` (projections that keep ciphertext only) skip the decryption but not the erasure.
 */
export class PersonalDataEventStore extends EventStore {
  constructor(
    private readonly inner: EventStore,
    readonly vault: PersonalDataVault,
    private readonly policy: PersonalDataPolicy = leadPersonalDataPolicy,
  ) {
    super();
  }

  override async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    return this.inner.append(streamId, await this.seal(streamId, events), expected);
  }

  override async readStream<E extends StoredEvent = StoredEvent>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent<E>[]> {
    return (await this.reveal(
      await this.inner.readStream(streamId, options),
    )) as RecordedEvent<E>[];
  }

  override async readAll<E extends StoredEvent = StoredEvent>(
    options?: ReadAllOptions,
  ): Promise<RecordedEvent<E>[]> {
    return (await this.reveal(
      await this.inner.readAll(options),
      options?.personalData,
    )) as RecordedEvent<E>[];
  }

  override locateEvent(eventId: string): Promise<EventLocation | null | 'unindexed'> {
    return this.inner.locateEvent(eventId);
  }

  override headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  override subscribe(options: SubscribeOptions): Subscription {
    const { onEvents, personalData = 'revealed' } = options;
    return this.inner.subscribe({
      ...options,
      onEvents: async (events) => onEvents(await this.reveal(events, personalData)),
    });
  }

  /** Destroys the stream's keys: its personal fields read as erased everywhere from now on. */
  async erasePersonalData(streamId: string): Promise<void> {
    const subjectId = this.policy.subjectOf(streamId);
    if (subjectId === null) throw new Error(`stream ${streamId} has no personal data key`);
    const stored = await this.inner.readStream(streamId);
    const keyIds = sealedKeyIds(stored.flatMap((event) => Object.values(event.data)));
    await this.vault.destroyKeys(subjectId, keyIds);
  }

  override async close(): Promise<void> {
    await this.inner.close();
    await this.vault.close();
  }

  private personalFields(event: { type: string; data: Record<string, unknown> }): string[] {
    const fields = this.policy.fields[event.type] ?? [];
    return fields.filter((field) => event.data[field] !== undefined && event.data[field] !== null);
  }

  private async seal(streamId: string, events: NewEvent[]): Promise<NewEvent[]> {
    if (!events.some((event) => this.personalFields(event).length > 0)) return events;
    const subjectId = this.policy.subjectOf(streamId);
    if (subjectId === null) {
      throw new Error(
        `stream ${streamId} has no personal data key, so it cannot store personal data`,
      );
    }
    const key = await this.vault.keyFor(subjectId);
    return events.map((event) => {
      const fields = this.personalFields(event);
      if (fields.length === 0) return event;
      const data = { ...event.data };
      for (const field of fields)
        data[field] = encryptValue(key, data[field], personalFieldContext(subjectId, field));
      return { ...event, data };
    });
  }

  private async reveal(
    events: RecordedEvent[],
    personalData: 'revealed' | 'sealed' = 'revealed',
  ): Promise<RecordedEvent[]> {
    const sealedFields = (event: RecordedEvent): SealedPersonalData['fields'] =>
      Object.fromEntries(
        (this.policy.fields[event.type] ?? [])
          .filter((field) => isEncryptedValue(event.data[field]))
          .map((field) => [field, event.data[field] as EncryptedValue]),
      );
    const sealed = events.map((event) => {
      // most events have no personal field at all
      if (this.policy.fields[event.type] === undefined) return null;
      const fields = sealedFields(event);
      return Object.keys(fields).length === 0
        ? null
        : { subjectId: this.policy.subjectOf(event.streamId), fields };
    });
    if (sealed.every((item) => item === null)) return events;
    const keys = await sealingKeys(
      this.vault,
      sealed.filter((item) => item !== null && item.subjectId !== null) as SealedPersonalData[],
    );
    return events.map((event, index) => {
      const item = sealed[index];
      return item === null
        ? event
        : this.open(event, item.subjectId, item.fields, keys, personalData);
    });
  }

  private open(
    event: RecordedEvent,
    subjectId: string | null,
    sealed: SealedPersonalData['fields'],
    keys: SealingKeys,
    personalData: 'revealed' | 'sealed',
  ): RecordedEvent {
    // a stream without a subject has no key: its ciphertext cannot be read
    const revealed: RevealedPersonalData =
      subjectId === null
        ? {
            fields: Object.fromEntries(Object.keys(sealed).map((field) => [field, null])),
            erased: false,
            unreadable: true,
          }
        : personalData === 'revealed'
          ? openPersonalData({ subjectId, fields: sealed }, keys)
          : keepPersonalDataSealed({ subjectId, fields: sealed }, keys);
    const data = { ...event.data, ...revealed.fields };
    if (revealed.erased) data.personalDataErased = true;
    if (revealed.unreadable) data.personalDataUnreadable = true;
    return { ...event, data, storedData: event.data };
  }
}
