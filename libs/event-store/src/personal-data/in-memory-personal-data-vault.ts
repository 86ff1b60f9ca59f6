import { newDataKey } from './personal-data-cipher';
import {
  type DataKeyState,
  PersonalDataErased,
  PersonalDataVault,
} from './personal-data-vault.port';

/** Keys in a Map: for tests and throw-away stores. Nothing survives the process. */
export class InMemoryPersonalDataVault extends PersonalDataVault {
  private readonly keys = new Map<string, Buffer | null>();

  override createKey(subjectId: string): Promise<Buffer> {
    const stored = this.keys.get(subjectId);
    if (stored === null) return Promise.reject(new PersonalDataErased(subjectId));
    if (stored) return Promise.resolve(stored);
    const key = newDataKey();
    this.keys.set(subjectId, key);
    return Promise.resolve(key);
  }

  override getKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    const found = new Map<string, DataKeyState>();
    for (const subjectId of subjectIds) {
      const stored = this.keys.get(subjectId);
      if (stored === null) found.set(subjectId, { status: 'destroyed' });
      else if (stored) found.set(subjectId, { status: 'active', key: stored });
    }
    return Promise.resolve(found);
  }

  override destroyKey(subjectId: string): Promise<void> {
    this.keys.set(subjectId, null);
    return Promise.resolve();
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }
}
