import { Binary } from 'mongodb';
import {
  createKeyWrite,
  destroyKeyWrite,
  keyStateOf,
  nameKeyWrite,
  personalDataKeysCollection,
} from './mongo-personal-data-vault';

// The mapping to MongoDB documents and updates, without a server (the int-spec runs the contract).
describe('MongoPersonalDataVault mapping', () => {
  const key = Buffer.alloc(32, 7);
  const now = '2026-03-01T10:00:00.000Z';

  it('keeps keys in personal_data_keys, one document per subject', () => {
    expect(personalDataKeysCollection).toBe('personal_data_keys');
  });

  it('creates a key only when the subject has no document yet (live key or tombstone)', () => {
    const write = createKeyWrite('lead-1', { id: 'key-1', key }, now);
    expect(write.filter).toEqual({ _id: 'lead-1' });
    expect(Object.keys(write.update)).toEqual(['$setOnInsert']);
    expect(write.update.$setOnInsert).toEqual({
      key: new Binary(key),
      keyId: 'key-1',
      createdAt: now,
    });
  });

  it('names a key created before key ids once: the first name stays', () => {
    expect(nameKeyWrite('lead-1', 'key-1')).toEqual({
      filter: { _id: 'lead-1', keyId: { $exists: false } },
      update: { $set: { keyId: 'key-1' } },
    });
  });

  it('destroys by clearing the key, keeping the first destruction time, even for an unknown subject', () => {
    expect(destroyKeyWrite('lead-1', now)).toEqual({
      filter: { _id: 'lead-1' },
      update: { $set: { key: null }, $setOnInsert: { createdAt: now }, $min: { destroyedAt: now } },
    });
  });

  it('reads a stored key back as bytes, and a cleared one as destroyed', () => {
    const state = keyStateOf({ _id: 'lead-1', key: new Binary(key), createdAt: now });
    expect(state).toEqual({ status: 'active', key });
    expect(state.status === 'active' && Buffer.isBuffer(state.key)).toBe(true);
    expect(keyStateOf({ _id: 'lead-1', key: null, createdAt: now, destroyedAt: now })).toEqual({
      status: 'destroyed',
    });
  });
});
