import { v7 as uuidv7 } from 'uuid';
import { dataKeyBytes } from './personal-data-cipher';
import { PersonalDataErased, type PersonalDataVault } from './personal-data-vault.port';

/**
 * The behaviour every PersonalDataVault adapter must have. Each test uses fresh random subject
 * ids, so the suite can run against a shared server.
 */
export const personalDataVaultContract = (
  adapterName: string,
  open: () => Promise<PersonalDataVault>,
): void => {
  describe(`${adapterName} satisfies the PersonalDataVault contract`, () => {
    let vault: PersonalDataVault;
    const subject = (): string => `subject-${uuidv7()}`;

    beforeEach(async () => {
      vault = await open();
    });
    afterEach(async () => {
      await vault.close();
    });

    it('creates a random 32-byte key once and returns the same key afterwards', async () => {
      const a = subject();
      const b = subject();

      const first = await vault.createKey(a);
      const again = await vault.createKey(a);
      const other = await vault.createKey(b);

      expect(first).toHaveLength(dataKeyBytes);
      expect(again.equals(first)).toBe(true);
      expect(other.equals(first)).toBe(false);
      expect(await vault.getKeys([a, b])).toEqual(
        new Map([
          [a, { status: 'active', key: first }],
          [b, { status: 'active', key: other }],
        ]),
      );
    });

    it('concurrent creations of one subject agree on one key', async () => {
      const a = subject();

      const keys = await Promise.all(Array.from({ length: 8 }, () => vault.createKey(a)));

      for (const key of keys) expect(key.equals(keys[0])).toBe(true);
    });

    it('leaves unknown subjects out of getKeys', async () => {
      const a = subject();
      await vault.createKey(a);

      const found = await vault.getKeys([subject(), a, a]);

      expect([...found.keys()]).toEqual([a]);
      expect(await vault.getKeys([])).toEqual(new Map());
    });

    it('destroys a key for good: it reads as destroyed and is never created again', async () => {
      const a = subject();
      const kept = subject();
      await vault.createKey(a);
      const keptKey = await vault.createKey(kept);

      await vault.destroyKey(a);
      await vault.destroyKey(a);

      const found = await vault.getKeys([a, kept]);
      expect(found.get(a)).toEqual({ status: 'destroyed' });
      expect(found.get(kept)).toEqual({ status: 'active', key: keptKey });
      await expect(vault.createKey(a)).rejects.toBeInstanceOf(PersonalDataErased);
      await expect(vault.createKey(a)).rejects.toMatchObject({
        code: 'personal_data_erased',
        subjectId: a,
      });
    });

    it('destroying a subject that never had a key leaves a tombstone', async () => {
      const a = subject();

      await vault.destroyKey(a);

      expect((await vault.getKeys([a])).get(a)).toEqual({ status: 'destroyed' });
      await expect(vault.createKey(a)).rejects.toBeInstanceOf(PersonalDataErased);
    });
  });
};
