import { type EncryptedValue, decryptValue } from './personal-data-cipher';
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

/** Opens one subject's sealed fields with its key state (from one batched `getKeys`). */
export const openPersonalData = (
  { subjectId, fields }: SealedPersonalData,
  state: DataKeyState | undefined,
): RevealedPersonalData => {
  const sealed = Object.entries(fields).filter(([, value]) => value !== null);
  if (sealed.length > 0 && state === undefined) throw new PersonalDataKeyMissing(subjectId);
  const revealed: RevealedPersonalData = {
    fields: Object.fromEntries(Object.keys(fields).map((field) => [field, null])),
    erased: false,
    unreadable: false,
  };
  for (const [field, value] of sealed) {
    if (state!.status === 'destroyed') {
      revealed.erased = true;
      continue;
    }
    const decrypted = decryptValue(state!.key, value!, personalFieldContext(subjectId, field));
    if (decrypted.ok) revealed.fields[field] = decrypted.value;
    else revealed.unreadable = true;
  }
  return revealed;
};

/** Reveals many subjects' fields with one vault read (a page of a list, say). */
export const revealPersonalData = async (
  vault: PersonalDataVault,
  sealed: readonly SealedPersonalData[],
): Promise<RevealedPersonalData[]> => {
  const keys = await vault.getKeys([...new Set(sealed.map((item) => item.subjectId))]);
  return sealed.map((item) => openPersonalData(item, keys.get(item.subjectId)));
};
