/** A subject's data key: live, or destroyed for good (its data is erased). */
export type DataKeyState = { status: 'active'; key: Buffer } | { status: 'destroyed' };

export class PersonalDataErased extends Error {
  readonly code = 'personal_data_erased';
  constructor(readonly subjectId: string) {
    super(`the personal data of ${subjectId} has been erased; no new key can be created for it`);
    this.name = 'PersonalDataErased';
  }
}

/**
 * Per-subject (per-lead) data keys kept outside the event log, so destroying a key erases the
 * subject's personal fields everywhere they were stored encrypted (crypto-shredding).
 */
export abstract class PersonalDataVault {
  /**
   * The subject's key: created (32 random bytes) and stored durably on first use, the same key
   * afterwards. Throws PersonalDataErased once the key was destroyed.
   */
  abstract createKey(subjectId: string): Promise<Buffer>;
  /** The known subjects among these; a subject that never had a key is absent. */
  abstract getKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>>;
  /** Forgets the key and leaves a tombstone, so it is never created again. Idempotent. */
  abstract destroyKey(subjectId: string): Promise<void>;
  abstract close(): Promise<void>;
}
