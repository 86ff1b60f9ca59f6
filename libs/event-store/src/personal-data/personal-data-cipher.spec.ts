import {
  decryptValue,
  encryptValue,
  isEncryptedValue,
  newDataKey,
  newKeyId,
  sealedKeyId,
} from './personal-data-cipher';

describe('personal data cipher (AES-256-GCM)', () => {
  const dataKey = { id: newKeyId(), key: newDataKey() };
  const { key } = dataKey;
  const context = 'lead-1\nemail';

  it('round-trips any JSON value in a self-describing stored form that names its key', () => {
    for (const value of ['ada@example.com', 'Zoë 🚀 \u0000', '', 42, { nested: [1, null] }]) {
      const sealed = encryptValue(dataKey, value, context);
      expect(sealed.$encrypted).toMatch(/^v2:[\w-]{22}:[\w-]{16}:[\w-]{22}:[\w-]*$/);
      expect(sealedKeyId(sealed)).toBe(dataKey.id);
      expect(isEncryptedValue(sealed)).toBe(true);
      expect(decryptValue(key, sealed, context)).toEqual({ ok: true, value });
    }
  });

  it('still opens values sealed before key ids (v1, written by the previous release)', () => {
    const legacyKey = Buffer.from(
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      'hex',
    );
    const legacyContext = '0192f7a0-0000-7000-8000-0000000000f1\nemail';
    const legacy = {
      $encrypted: 'v1:LgxohoLE7uZst90t:Aq5gzH-ESLBttCjN-Hdu_Q:_E25uzxDS-yYt3wA9pNj4n4TSw',
    };

    expect(sealedKeyId(legacy)).toBeNull();
    expect(decryptValue(legacyKey, legacy, legacyContext)).toEqual({
      ok: true,
      value: 'grace@example.com',
    });
    expect(decryptValue(newDataKey(), legacy, legacyContext)).toEqual({ ok: false });
  });

  it('never repeats a ciphertext for the same value (random IV)', () => {
    const a = encryptValue(dataKey, 'ada@example.com', context);
    const b = encryptValue(dataKey, 'ada@example.com', context);
    expect(a.$encrypted).not.toBe(b.$encrypted);
    expect(a.$encrypted).not.toContain('ada');
  });

  it('never repeats an IV or a key id, also across refills of the random pool', () => {
    // 1,000 IVs and 1,000 key ids draw 28 KB: the 4 KiB pool is refilled several times
    const sealed = Array.from({ length: 1_000 }, (_, index) =>
      encryptValue(dataKey, `lead-${index}@example.com`, context),
    );
    const ivs = sealed.map((value) => value.$encrypted.split(':')[2]);
    const keyIds = Array.from({ length: 1_000 }, () => newKeyId());

    expect(new Set(ivs).size).toBe(1_000);
    expect(new Set(keyIds).size).toBe(1_000);
    expect(keyIds.every((id) => /^[\w-]{22}$/.test(id))).toBe(true);
    sealed.forEach((value, index) =>
      expect(decryptValue(key, value, context)).toEqual({
        ok: true,
        value: `lead-${index}@example.com`,
      }),
    );
  });

  it('refuses another key, another context (lead or field) and any edited part', () => {
    const sealed = encryptValue(dataKey, 'ada@example.com', context);
    const [version, keyId, iv, tag, ciphertext] = sealed.$encrypted.split(':');
    const flipped = (part: string): string => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 1;
      return bytes.toString('base64url');
    };

    expect(decryptValue(newDataKey(), sealed, context)).toEqual({ ok: false });
    expect(decryptValue(key, sealed, 'lead-2\nemail')).toEqual({ ok: false });
    expect(decryptValue(key, sealed, 'lead-1\nname')).toEqual({ ok: false });
    for (const edited of [
      [version, keyId, flipped(iv), tag, ciphertext],
      [version, keyId, iv, flipped(tag), ciphertext],
      [version, keyId, iv, tag, flipped(ciphertext)],
      ['v3', keyId, iv, tag, ciphertext],
      ['v1', keyId, iv, tag, ciphertext],
      [version, keyId, iv, tag],
      [version, keyId, iv.slice(2), tag, ciphertext],
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
