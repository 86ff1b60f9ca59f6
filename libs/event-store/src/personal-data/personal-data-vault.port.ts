import type { DataKey } from './personal-data-cipher';

/** A data key: live, or destroyed for good (what it sealed is erased). */
export type DataKeyState = { status: 'active'; key: Buffer } | { status: 'destroyed' };

export class PersonalDataErased extends Error {
  readonly code = 'personal_data_erased';
  constructor(readonly subjectId: string) {
    super(`the personal data of ${subjectId} has been erased; no new key can be created for it`);
    this.name = 'PersonalDataErased';
  }
}

/**
 * Per-subject (per-lead) data keys kept outside the event log, so destroying a subject's keys
 * erases its personal fields everywhere they were stored encrypted (crypto-shredding). Every
 * ciphertext names its key by id; those written before key ids use their subject's key.
 */
export abstract class PersonalDataVault {
  /**
   * The key to seal the subject's data with: its key if it has one, else a new random one, stored
   * durably before it is returned and bound to the subject from then on. Throws
   * PersonalDataErased once the subject was erased.
   */
  abstract keyFor(subjectId: string): Promise<DataKey>;
  /** The known keys among these ids; an id the vault never held is absent. */
  abstract getKeysById(keyIds: readonly string[]): Promise<Map<string, DataKeyState>>;
  /** By subject: the keys of values sealed before key ids, and erased subjects (destroyed). */
  abstract getSubjectKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>>;
  /**
   * Destroys every key of the subject: those bound to it and these ids found in its data (keys
   * bound to another subject are left alone), and leaves a tombstone so no key is made for it
   * again. Idempotent; durable when it resolves.
   */
  abstract destroyKeys(subjectId: string, keyIds: readonly string[]): Promise<void>;
  abstract close(): Promise<void>;
}
