import { decryptValue, encryptValue, isEncryptedValue, newDataKey } from './personal-data-cipher';

describe('personal data cipher (AES-256-GCM)', () => {
  const key = newDataKey();
  const context = 'lead-1\nemail';

  it('round-trips any JSON value in a self-describing stored form', () => {
    for (const value of ['ada@example.com', 'Zoë 🚀 \u0000', '', 42, { nested: [1, null] }]) {
      const sealed = encryptValue(key, value, context);
      expect(sealed.$encrypted).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]*$/);
      expect(isEncryptedValue(sealed)).toBe(true);
      expect(decryptValue(key, sealed, context)).toEqual({ ok: true, value });
    }
  });

  it('never repeats a ciphertext for the same value (random IV)', () => {
    const a = encryptValue(key, 'ada@example.com', context);
    const b = encryptValue(key, 'ada@example.com', context);
    expect(a.$encrypted).not.toBe(b.$encrypted);
    expect(a.$encrypted).not.toContain('ada');
  });

  it('refuses another key, another context (lead or field) and any edited part', () => {
    const sealed = encryptValue(key, 'ada@example.com', context);
    const [version, iv, tag, ciphertext] = sealed.$encrypted.split(':');
    const flipped = (part: string): string => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 1;
      return bytes.toString('base64url');
    };

    expect(decryptValue(newDataKey(), sealed, context)).toEqual({ ok: false });
    expect(decryptValue(key, sealed, 'lead-2\nemail')).toEqual({ ok: false });
    expect(decryptValue(key, sealed, 'lead-1\nname')).toEqual({ ok: false });
    for (const edited of [
      [version, flipped(iv), tag, ciphertext],
      [version, iv, flipped(tag), ciphertext],
      [version, iv, tag, flipped(ciphertext)],
      ['v2', iv, tag, ciphertext],
      [version, iv, tag],
      [version, iv.slice(2), tag, ciphertext],
    ]) {
      expect(decryptValue(key, { $encrypted: edited.join(':') }, context)).toEqual({ ok: false });
    }
  });

  it('tells the stored form from plaintext and other objects', () => {
    expect(isEncryptedValue('ada@example.com')).toBe(false);
    expect(isEncryptedValue(null)).toBe(false);
    expect(isEncryptedValue([])).toBe(false);
    expect(isEncryptedValue({ $encrypted: 1 })).toBe(false);
    expect(isEncryptedValue({ $encrypted: 'v1:a:b:c', extra: true })).toBe(false);
  });
});
