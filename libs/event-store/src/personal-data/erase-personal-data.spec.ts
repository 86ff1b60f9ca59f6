import {
  type NewEvent,
  type RecordedEvent,
  RevisionConflict,
  type StoredEvent,
} from '../event-store.port';
import type { CommandOptions } from '../handle-command';
import { SqliteEventStore } from '../sqlite-event-store';
import { erasePersonalData, type Erasure } from './erase-personal-data';
import { InMemoryPersonalDataVault } from './in-memory-personal-data-vault';

// A subject stream with the least a decider needs: does it exist, is it erased already.
type Subject = { exists: boolean; erased: boolean };
const subject = 'subject-1';
const erasure: Erasure<StoredEvent, Subject> = {
  subjectId: subject,
  streamId: `subject-${subject}`,
  fold: (events: RecordedEvent[]) => ({
    exists: events.length > 0,
    erased: events.some((event) => event.type === 'Erased'),
  }),
  decide: (state) => {
    if (!state.exists) throw new Error('unknown subject');
    return state.erased ? [] : [{ type: 'Erased', data: { subject } }];
  },
  erasedEventType: 'Erased',
};
const options: CommandOptions = {
  actor: { id: 'admin-1', role: 'admin' },
  correlationId: 'correlation-1',
  causationId: null,
  occurredAt: '2026-03-01T09:00:00.000Z',
};
const created = (eventId: string): NewEvent => ({
  type: 'Created',
  data: { subject },
  metadata: { ...options, eventId, schemaVersion: 1 },
});

describe('erasePersonalData', () => {
  let store: SqliteEventStore;
  let vault: InMemoryPersonalDataVault;
  let keyId: string;
  const keyState = async () => (await vault.getKeysById([keyId])).get(keyId)?.status;

  beforeEach(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    vault = new InMemoryPersonalDataVault();
    keyId = (await vault.keyFor(subject)).id;
  });
  afterEach(() => store.close());

  const given = (...eventIds: string[]) =>
    store.append(erasure.streamId, eventIds.map(created), 'any');

  it('destroys the key, then records the erasure', async () => {
    await given('01900000-0000-7000-8000-000000000001');
    const result = await erasePersonalData(store, vault, erasure, options);
    expect(result).toMatchObject({ revision: 1, replayed: false });
    expect(await keyState()).toBe('destroyed');
    expect((await store.readStream(erasure.streamId)).map((event) => event.type)).toEqual([
      'Created',
      'Erased',
    ]);
  });

  it('erasing again records nothing and answers with the first erasure', async () => {
    await given('01900000-0000-7000-8000-000000000001');
    const first = await erasePersonalData(store, vault, erasure, options);
    await given('01900000-0000-7000-8000-000000000002');
    const again = await erasePersonalData(store, vault, erasure, options);
    expect(again).toEqual({ revision: first.revision, position: first.position, replayed: true });
    expect(await store.readStream(erasure.streamId)).toHaveLength(3);
  });

  it('checks If-Match before the key is touched', async () => {
    await given('01900000-0000-7000-8000-000000000001');
    await expect(
      erasePersonalData(store, vault, erasure, { ...options, expectedRevision: 3 }),
    ).rejects.toBeInstanceOf(RevisionConflict);
    expect(await keyState()).toBe('active');
  });

  it('leaves the key alone when the decider refuses, If-Match or not', async () => {
    await expect(erasePersonalData(store, vault, erasure, options)).rejects.toThrow(
      'unknown subject',
    );
    await expect(
      erasePersonalData(store, vault, erasure, { ...options, expectedRevision: 0 }),
    ).rejects.toThrow('unknown subject');
    expect(await keyState()).toBe('active');
  });
});
