import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite-event-store';
import { erasePersonalData } from './erase-personal-data';
import { PersonalDataEventStore } from './personal-data-event-store';
import { SqlitePersonalDataVault } from './sqlite-personal-data-vault';

// The crypto-shredding store on the embedded log and key vault, as the service runs them.
describe('personal data on the embedded log and vault', () => {
  let dir: string;
  let log: SqliteEventStore;
  let vault: SqlitePersonalDataVault;
  let store: PersonalDataEventStore;
  const open = (): void => {
    log = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    vault = new SqlitePersonalDataVault({ path: join(dir, 'keys.sqlite') });
    store = new PersonalDataEventStore(log, vault);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-personal-data-'));
    open();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const leadId = (leadNumber: number): string =>
    `0192f7a0-0000-7000-8000-${leadNumber.toString(16).padStart(12, '0')}`;
  const metadata = (eventNumber: number) => ({
    eventId: `01900000-0000-7000-8000-${String(eventNumber).padStart(12, '0')}`,
    occurredAt: '2026-02-01T08:00:00.000Z',
    actor: { id: 'user-1', role: 'marketing' },
    correlationId: 'correlation-1',
    causationId: null,
    schemaVersion: 1,
  });
  const captured = (leadNumber: number, personal: Record<string, unknown>): NewEvent => ({
    type: 'LeadCaptured',
    data: { leadId: leadId(leadNumber), ...personal },
    metadata: metadata(leadNumber),
  });
  const capture = (leadNumber: number): Promise<unknown> =>
    store.append(
      `lead-${leadId(leadNumber)}`,
      [
        captured(leadNumber, {
          email: `lead-${leadNumber}@example.com`,
          name: `Lead ${leadNumber}`,
        }),
      ],
      'no_stream',
    );
  // the command path of POST /leads/{id}/erase
  const erase = (leadNumber: number) =>
    erasePersonalData(
      store,
      vault,
      {
        subjectId: leadId(leadNumber),
        streamId: `lead-${leadId(leadNumber)}`,
        fold: (events: RecordedEvent[]) => events.length,
        decide: () => [{ type: 'LeadPersonalDataErased', data: { leadId: leadId(leadNumber) } }],
        erasedEventType: 'LeadPersonalDataErased',
      },
      {
        actor: { id: 'admin-1', role: 'admin' },
        correlationId: 'correlation-2',
        causationId: null,
        occurredAt: '2026-03-01T09:00:00.000Z',
      },
    );
  const onDisk = (): Buffer =>
    Buffer.concat(
      ['keys.sqlite', 'keys.sqlite-wal']
        .map((file) => join(dir, file))
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file)),
    );
  const editKeys = (sql: string, ...params: unknown[]): void => {
    const raw = new Database(join(dir, 'keys.sqlite'));
    try {
      raw.prepare(sql).run(...params);
    } finally {
      raw.close();
    }
  };

  // the files fdatasync'd, in order
  const recordSyncs = (): string[] => {
    const synced: string[] = [];
    const open = fs.open.bind(fs);
    jest.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
      const handle = await open(file, ...rest);
      const datasync = handle.datasync.bind(handle);
      handle.datasync = async () => {
        await datasync();
        synced.push(String(file));
      };
      return handle;
    });
    return synced;
  };

  it('syncs only the log for captures once keys are ready, one sync for a group of captures', async () => {
    // WalSync keeps each -wal file open after its first sync: record from the start
    const allSyncs = recordSyncs();
    await capture(1);
    const before = allSyncs.length;

    await Promise.all(Array.from({ length: 20 }, (_, index) => capture(index + 2)));

    const synced = allSyncs.slice(before);
    expect(synced.filter((file) => file.includes('keys.sqlite'))).toEqual([]);
    expect(synced.filter((file) => file.includes('events.sqlite')).length).toBeLessThanOrEqual(2);
  });

  it('still reads and erases data sealed before key ids (v1 ciphertext, key kept by subject)', async () => {
    // written by the previous release: the key by subject, the ciphertext without a key id
    const legacyKey = Buffer.from(
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      'hex',
    );
    editKeys(
      'INSERT INTO personal_data_keys (subject_id, data_key, created_at) VALUES (?, ?, ?)',
      leadId(0xf1),
      legacyKey,
      '2025-06-01T00:00:00.000Z',
    );
    await log.append(
      `lead-${leadId(0xf1)}`,
      [
        captured(0xf1, {
          email: {
            $encrypted: 'v1:LgxohoLE7uZst90t:Aq5gzH-ESLBttCjN-Hdu_Q:_E25uzxDS-yYt3wA9pNj4n4TSw',
          },
          name: { $encrypted: 'v1:_0bu2e9QEFxdQWK0:cdQ1QexNHNh04WmKNCJbHg:AbGkMLISLRcG_8-pw1U' },
        }),
      ],
      'no_stream',
    );

    const [before] = await store.readStream(`lead-${leadId(0xf1)}`);
    expect(before.data).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper' });

    await erase(0xf1);

    const [after] = await store.readStream(`lead-${leadId(0xf1)}`);
    expect(after.data).toMatchObject({ email: null, name: null, personalDataErased: true });
    expect(onDisk().includes(legacyKey)).toBe(false);
  });

  it('reads and erases a lead whose key binding a crash lost: the ciphertext names its key', async () => {
    await capture(1);
    const [stored] = await log.readStream(`lead-${leadId(1)}`);
    const keyId = (stored.data.email as { $encrypted: string }).$encrypted.split(':')[1];
    const state = (await vault.getKeysById([keyId])).get(keyId);
    if (state?.status !== 'active') throw new Error(`key ${keyId} should be active`);
    const { key } = state;
    await store.close();
    // the binding's commit was never synced; the key itself was, before it was handed out
    editKeys('UPDATE data_keys SET subject_id = NULL WHERE key_id = ?', keyId);
    open();

    const [before] = await store.readStream(`lead-${leadId(1)}`);
    expect(before.data).toMatchObject({ email: 'lead-1@example.com', name: 'Lead 1' });

    await erase(1);

    const [after] = await store.readStream(`lead-${leadId(1)}`);
    expect(after.data).toMatchObject({ email: null, name: null, personalDataErased: true });
    expect(onDisk().includes(key)).toBe(false);
  });
});
