import { type DataKey, newDataKey, newKeyId } from './personal-data-cipher';
import {
  type DataKeyState,
  PersonalDataErased,
  PersonalDataVault,
} from './personal-data-vault.port';

/** Keys in Maps: for tests and throw-away stores. Nothing survives the process. */
export class InMemoryPersonalDataVault extends PersonalDataVault {
  private readonly keys = new Map<string, { key: Buffer | null; subjectId: string }>();
  // null: erased
  private readonly subjects = new Map<string, string | null>();

  override keyFor(subjectId: string): Promise<DataKey> {
    const keyId = this.subjects.get(subjectId);
    if (keyId === null) return Promise.reject(new PersonalDataErased(subjectId));
    if (keyId !== undefined) return Promise.resolve({ id: keyId, key: this.keys.get(keyId)!.key! });
    const created = { id: newKeyId(), key: newDataKey() };
    this.keys.set(created.id, { key: created.key, subjectId });
    this.subjects.set(subjectId, created.id);
    return Promise.resolve(created);
  }

  override getKeysById(keyIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    const found = new Map<string, DataKeyState>();
    for (const keyId of keyIds) {
      const stored = this.keys.get(keyId);
      if (stored) found.set(keyId, stateOf(stored.key));
    }
    return Promise.resolve(found);
  }

  override getSubjectKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    // no keys from before key ids here: only tombstones
    const found = new Map<string, DataKeyState>();
    for (const subjectId of subjectIds)
      if (this.subjects.get(subjectId) === null) found.set(subjectId, { status: 'destroyed' });
    return Promise.resolve(found);
  }

  override destroyKeys(subjectId: string, keyIds: readonly string[]): Promise<void> {
    const bound = this.subjects.get(subjectId);
    for (const keyId of [...keyIds, ...(bound ? [bound] : [])]) {
      const stored = this.keys.get(keyId);
      if (stored?.subjectId === subjectId) stored.key = null;
    }
    this.subjects.set(subjectId, null);
    return Promise.resolve();
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }
}

const stateOf = (key: Buffer | null): DataKeyState =>
  key === null ? { status: 'destroyed' } : { status: 'active', key };
