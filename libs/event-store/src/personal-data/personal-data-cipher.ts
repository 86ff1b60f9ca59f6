import { createCipheriv, createDecipheriv, randomBytes, randomFillSync } from 'node:crypto';

export const dataKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const keyIdBytes = 16;

/**
 * The stored form of a personal field: `v2:<keyId>:<iv>:<tag>:<ciphertext>`, each part base64url,
 * AES-256-GCM over the JSON of the value. Self-describing, so a reader can tell it from plaintext,
 * and it names its key, so a key can be handed out before any record binds it to its subject.
 * Values written before key ids (`v1:<iv>:<tag>:<ciphertext>`) use their subject's key.
 */
export type EncryptedValue = { $encrypted: string };

/** A data key and the id its ciphertexts carry. */
export type DataKey = { id: string; key: Buffer };

export type Decrypted = { ok: true; value: unknown } | { ok: false };

// IVs and key ids (public, stored beside the ciphertext) are cut from a pool of CSPRNG bytes
// refilled 4 KiB at a time: one randomBytes call each cost ~4 µs, and a capture needs four.
// Data keys are secrets and are still drawn one by one.
const randomPool = Buffer.allocUnsafeSlow(4096);
let randomPoolUsed = randomPool.length;

const pooledRandomBytes = (bytes: number): Buffer => {
  if (randomPoolUsed + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolUsed = 0;
  }
  const drawn = Buffer.from(randomPool.subarray(randomPoolUsed, randomPoolUsed + bytes));
  randomPoolUsed += bytes;
  return drawn;
};

export const newDataKey = (): Buffer => randomBytes(dataKeyBytes);

export const newKeyId = (): string => pooledRandomBytes(keyIdBytes).toString('base64url');

export const isEncryptedValue = (value: unknown): value is EncryptedValue =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as Partial<EncryptedValue>).$encrypted === 'string';

// `context` (whose field, which field) is authenticated but not stored: a ciphertext copied into
// another lead or another field no longer decrypts.
export const encryptValue = (
  { id, key }: DataKey,
  value: unknown,
  context: string,
): EncryptedValue => {
  const iv = pooledRandomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return { $encrypted: ['v2', id, ...parts].join(':') };
};

/** The id of the key that sealed the value; null for a value sealed before key ids (v1). */
export const sealedKeyId = (value: EncryptedValue): string | null => {
  const [version, keyId] = value.$encrypted.split(':', 2);
  return version === 'v2' && keyId !== undefined ? keyId : null;
};

// iv, tag and ciphertext of either format; null when the form is not one of them
const sealedParts = (value: EncryptedValue): string[] | null => {
  const parts = value.$encrypted.split(':');
  if (parts[0] === 'v2' && parts.length === 5) return parts.slice(2);
  if (parts[0] === 'v1' && parts.length === 4) return parts.slice(1);
  return null;
};

/** `ok: false` when the value does not authenticate: tampered, another key or another context. */
export const decryptValue = (key: Buffer, value: EncryptedValue, context: string): Decrypted => {
  const parts = sealedParts(value);
  if (parts === null) return { ok: false };
  const [iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== ivBytes || tag.length !== tagBytes) return { ok: false };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return { ok: true, value: JSON.parse(plaintext.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
};
