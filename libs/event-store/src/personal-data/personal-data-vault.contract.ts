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

    it('hands out a random 32-byte key with an id once, and the same key afterwards', async () => {
      const a = subject();
      const b = subject();

      const first = await vault.keyFor(a);
      const again = await vault.keyFor(a);
      const other = await vault.keyFor(b);

      expect(first.key).toHaveLength(dataKeyBytes);
      expect(first.id).toMatch(/^[\w-]+$/);
      expect(again).toEqual(first);
      expect(other.key.equals(first.key)).toBe(false);
      expect(other.id).not.toBe(first.id);
      expect(await vault.getKeysById([first.id, other.id])).toEqual(
        new Map([
          [first.id, { status: 'active', key: first.key }],
          [other.id, { status: 'active', key: other.key }],
        ]),
      );
    });

    it('concurrent requests for one subject agree on one key', async () => {
      const a = subject();

      const keys = await Promise.all(Array.from({ length: 8 }, () => vault.keyFor(a)));

      for (const key of keys) expect(key).toEqual(keys[0]);
    });

    it('leaves unknown ids and subjects out', async () => {
      const { id } = await vault.keyFor(subject());

      const found = await vault.getKeysById(['never-a-key', id, id]);

      expect([...found.keys()]).toEqual([id]);
      expect(await vault.getKeysById([])).toEqual(new Map());
      expect(await vault.getSubjectKeys([subject()])).toEqual(new Map());
      expect(await vault.getSubjectKeys([])).toEqual(new Map());
    });

    it('destroys a subject for good: its key reads as destroyed and none is handed out again', async () => {
      const a = subject();
      const kept = subject();
      const { id } = await vault.keyFor(a);
      const keptKey = await vault.keyFor(kept);

      await vault.destroyKeys(a, [id]);
      await vault.destroyKeys(a, [id]);

      const found = await vault.getKeysById([id, keptKey.id]);
      expect(found.get(id)).toEqual({ status: 'destroyed' });
      expect(found.get(keptKey.id)).toEqual({ status: 'active', key: keptKey.key });
      expect((await vault.getSubjectKeys([a])).get(a)).toEqual({ status: 'destroyed' });
      await expect(vault.keyFor(a)).rejects.toBeInstanceOf(PersonalDataErased);
      await expect(vault.keyFor(a)).rejects.toMatchObject({
        code: 'personal_data_erased',
        subjectId: a,
      });
    });

    it("destroys the subject's bound key without being told its id, and never another subject's", async () => {
      const a = subject();
      const b = subject();
      const keyOfA = await vault.keyFor(a);
      const keyOfB = await vault.keyFor(b);

      // keyOfB named in a's data: a forged or copied ciphertext
      await vault.destroyKeys(a, [keyOfB.id]);

      const found = await vault.getKeysById([keyOfA.id, keyOfB.id]);
      expect(found.get(keyOfA.id)).toEqual({ status: 'destroyed' });
      expect(found.get(keyOfB.id)).toEqual({ status: 'active', key: keyOfB.key });
    });

    it('destroying a subject that never had a key leaves a tombstone', async () => {
      const a = subject();

      await vault.destroyKeys(a, []);

      expect((await vault.getSubjectKeys([a])).get(a)).toEqual({ status: 'destroyed' });
      await expect(vault.keyFor(a)).rejects.toBeInstanceOf(PersonalDataErased);
    });
  });
};
