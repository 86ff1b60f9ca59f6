import {
  type EncryptedValue,
  decryptValue,
  isEncryptedValue,
  sealedKeyId,
} from './personal-data-cipher';
import type { DataKeyState, PersonalDataVault } from './personal-data-vault.port';

/** A subject's personal fields as stored (ciphertext) by the event store, e.g. kept in a read model. */
export type SealedPersonalData = {
  subjectId: string;
  fields: Readonly<Record<string, EncryptedValue | null>>;
};

/** The fields in the clear; null once erased (`erased`) or when a ciphertext does not authenticate. */
export type RevealedPersonalData = {
  fields: Record<string, unknown>;
  erased: boolean;
  unreadable: boolean;
};

/** The vault's keys for some sealed values: by the id a value names, or by subject for older values. */
export type SealingKeys = {
  byId: ReadonlyMap<string, DataKeyState>;
  bySubject: ReadonlyMap<string, DataKeyState>;
};

/** A stored personal field whose key the vault has never held: the wrong vault, or a lost one. */
export class PersonalDataKeyMissing extends Error {
  readonly code = 'personal_data_key_missing';
  constructor(readonly subjectId: string) {
    super(
      `personal data of ${subjectId} is encrypted but the vault has no key for it; is this the vault the log was written with (DATA_DIR/keys.sqlite, or MONGO_URL)?`,
    );
    this.name = 'PersonalDataKeyMissing';
  }
}

// The authenticated context of a field's ciphertext.
export const personalFieldContext = (subjectId: string, field: string): string =>
  `${subjectId}\n${field}`;

/** The keys that open these values, in at most two vault reads. */
export const sealingKeys = async (
  vault: PersonalDataVault,
  sealed: readonly SealedPersonalData[],
): Promise<SealingKeys> => {
  const keyIds = new Set<string>();
  const subjectIds = new Set<string>();
  for (const { subjectId, fields } of sealed) {
    for (const value of Object.values(fields)) {
      if (value === null) continue;
      const keyId = sealedKeyId(value);
      if (keyId === null) subjectIds.add(subjectId);
      else keyIds.add(keyId);
    }
  }
  const none = new Map<string, DataKeyState>();
  const [byId, bySubject] = await Promise.all([
    keyIds.size > 0 ? vault.getKeysById([...keyIds]) : none,
    subjectIds.size > 0 ? vault.getSubjectKeys([...subjectIds]) : none,
  ]);
  return { byId, bySubject };
};

/** Opens one subject's sealed fields with the keys from `sealingKeys`. */
export const openPersonalData = (
  { subjectId, fields }: SealedPersonalData,
  keys: SealingKeys,
): RevealedPersonalData => {
  const revealed: RevealedPersonalData = {
    fields: Object.fromEntries(Object.keys(fields).map((field) => [field, null])),
    erased: false,
    unreadable: false,
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value === null) continue;
    const keyId = sealedKeyId(value);
    const state = keyId === null ? keys.bySubject.get(subjectId) : keys.byId.get(keyId);
    if (state === undefined) throw new PersonalDataKeyMissing(subjectId);
    if (state.status === 'destroyed') {
      revealed.erased = true;
      continue;
    }
    const decrypted = decryptValue(state.key, value, personalFieldContext(subjectId, field));
    if (decrypted.ok) revealed.fields[field] = decrypted.value;
    else revealed.unreadable = true;
  }
  return revealed;
};

/**
 * One subject's fields as stored (ciphertext), or all null once erased, with the keys from
 * `sealingKeys`: what a reader that keeps ciphertext only needs, without decrypting anything (so
 * a ciphertext that does not authenticate goes unnoticed here; `verifyChain` reports tampering).
 */
export const keepPersonalDataSealed = (
  { subjectId, fields }: SealedPersonalData,
  keys: SealingKeys,
): RevealedPersonalData => {
  let erased = false;
  for (const value of Object.values(fields)) {
    if (value === null) continue;
    const keyId = sealedKeyId(value);
    const state = keyId === null ? keys.bySubject.get(subjectId) : keys.byId.get(keyId);
    if (state === undefined) throw new PersonalDataKeyMissing(subjectId);
    if (state.status === 'destroyed') erased = true;
  }
  return {
    fields: erased
      ? Object.fromEntries(Object.keys(fields).map((field) => [field, null]))
      : { ...fields },
    erased,
    unreadable: false,
  };
};

/** Reveals many subjects' fields with one batched vault lookup (a page of a list, say). */
export const revealPersonalData = async (
  vault: PersonalDataVault,
  sealed: readonly SealedPersonalData[],
): Promise<RevealedPersonalData[]> => {
  const keys = await sealingKeys(vault, sealed);
  return sealed.map((item) => openPersonalData(item, keys));
};

/** The ids of the keys that sealed these stored values (what erasing their subject destroys). */
export const sealedKeyIds = (values: Iterable<unknown>): string[] => {
  const keyIds = new Set<string>();
  for (const value of values) {
    const keyId = isEncryptedValue(value) ? sealedKeyId(value) : null;
    if (keyId !== null) keyIds.add(keyId);
  }
  return [...keyIds];
};
