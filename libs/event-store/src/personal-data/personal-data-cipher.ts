import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const dataKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const formatVersion = 'v1';

/**
 * The stored form of a personal field: `v1:<iv>:<tag>:<ciphertext>`, each part base64url,
 * AES-256-GCM over the JSON of the value. Self-describing, so a reader can tell it from plaintext.
 */
export type EncryptedValue = { $encrypted: string };

export type Decrypted = { ok: true; value: unknown } | { ok: false };

export const newDataKey = (): Buffer => randomBytes(dataKeyBytes);

export const isEncryptedValue = (value: unknown): value is EncryptedValue =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as Partial<EncryptedValue>).$encrypted === 'string';

// `context` (whose field, which field) is authenticated but not stored: a ciphertext copied into
// another lead or another field no longer decrypts.
export const encryptValue = (key: Buffer, value: unknown, context: string): EncryptedValue => {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return { $encrypted: [formatVersion, ...parts].join(':') };
};

/** `ok: false` when the value does not authenticate: tampered, another key or another context. */
export const decryptValue = (key: Buffer, value: EncryptedValue, context: string): Decrypted => {
  const parts = value.$encrypted.split(':');
  if (parts.length !== 4 || parts[0] !== formatVersion) return { ok: false };
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
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
