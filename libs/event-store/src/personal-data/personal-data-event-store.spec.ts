import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../audit-chain';
import { eventStoreContract } from '../event-store.contract';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite-event-store';
import { InMemoryPersonalDataVault } from './in-memory-personal-data-vault';
import { isEncryptedValue } from './personal-data-cipher';
import { PersonalDataEventStore } from './personal-data-event-store';
import { PersonalDataKeyMissing } from './reveal-personal-data';
import { PersonalDataErased } from './personal-data-vault.port';

// Events without personal fields pass through untouched: the decorated store is an EventStore.
eventStoreContract('PersonalDataEventStore over SqliteEventStore (:memory:)', () =>
  Promise.resolve(
    new PersonalDataEventStore(
      new SqliteEventStore({ path: ':memory:' }),
      new InMemoryPersonalDataVault(),
    ),
  ),
);

describe('PersonalDataEventStore', () => {
  const leadA = '0192f7a0-0000-7000-8000-00000000000a';
  const leadB = '0192f7a0-0000-7000-8000-00000000000b';
  let eventNumber = 0;
  let dir: string;
  let path: string;
  let vault: InMemoryPersonalDataVault;
  let store: PersonalDataEventStore;

  const metadata = () => {
    eventNumber += 1;
    return {
      eventId: `01900000-0000-7000-8000-${String(eventNumber).padStart(12, '0')}`,
      occurredAt: '2026-02-01T08:00:00.000Z',
      actor: { id: 'user-1', role: 'marketing' },
      correlationId: 'correlation-1',
      causationId: null,
      schemaVersion: 1,
    };
  };
  const captured = (leadId: string, personal: Record<string, unknown> = {}): NewEvent => ({
    type: 'LeadCaptured',
    data: {
      leadId,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      source: { campaignId: 'webinar', channel: 'webinar' },
      sourcedBy: 'marketing',
      priorTouches: [],
      ...personal,
    },
    metadata: metadata(),
  });
  const engaged = (leadId: string): NewEvent => ({
    type: 'LeadEngaged',
    data: { leadId, campaignId: 'newsletter', channel: 'email', kind: 'email_click' },
    metadata: metadata(),
  });
  const open = (): PersonalDataEventStore => {
    store = new PersonalDataEventStore(
      new SqliteEventStore({ path, clock: () => new Date('2026-03-01T10:00:00.000Z') }),
      vault,
    );
    return store;
  };
  const rawRows = (): { stream_id: string; data: string }[] => {
    const raw = new Database(path, { readonly: true });
    try {
      return raw.prepare('SELECT stream_id, data FROM events ORDER BY position').all() as {
        stream_id: string;
        data: string;
      }[];
    } finally {
      raw.close();
    }
  };
  const editRaw = (sql: string, ...params: unknown[]): void => {
    const raw = new Database(path);
    try {
      expect(raw.prepare(sql).run(...params).changes).toBe(1);
    } finally {
      raw.close();
    }
  };
  const subscribed = async (): Promise<RecordedEvent[]> => {
    const received: RecordedEvent[] = [];
    const subscription = store.subscribe({ onEvents: (events) => void received.push(...events) });
    await subscription.caughtUp;
    await subscription.close();
    return received;
  };
  // every read path must agree
  const readEverywhere = async (streamId: string): Promise<RecordedEvent[][]> => [
    await store.readStream(streamId),
    (await store.readAll()).filter((event) => event.streamId === streamId),
    (await subscribed()).filter((event) => event.streamId === streamId),
  ];

  beforeEach(async () => {
    eventNumber = 0;
    dir = mkdtempSync(join(tmpdir(), 'personal-data-store-'));
    path = join(dir, 'events.sqlite');
    vault = new InMemoryPersonalDataVault();
    open();
    await store.append(`lead-${leadA}`, [captured(leadA), engaged(leadA)], 'no_stream');
    await store.append(`lead-${leadB}`, [captured(leadB, { name: undefined })], 'no_stream');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores email and name encrypted: no plaintext in the log, the stored form is self-describing', () => {
    const rows = rawRows();
    for (const row of rows) {
      expect(row.data).not.toContain('ada@example.com');
      expect(row.data).not.toContain('Ada Lovelace');
    }
    const first = JSON.parse(rows[0].data) as Record<string, unknown>;
    expect(isEncryptedValue(first.email)).toBe(true);
    expect(isEncryptedValue(first.name)).toBe(true);
    expect(first.company).toBe('Analytical Engines');
    // an absent name stays absent
    expect(JSON.parse(rows[2].data)).not.toHaveProperty('name');
  });

  it('decrypts on every read path, keeps the stored form for the chain, and the chain verifies', async () => {
    for (const events of await readEverywhere(`lead-${leadA}`)) {
      const [capture, engagement] = events;
      expect(capture.data).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
      expect(capture.data).not.toHaveProperty('personalDataErased');
      expect(isEncryptedValue(capture.storedData?.email)).toBe(true);
      // events without personal data are returned as stored
      expect(engagement.storedData).toBeUndefined();
      expect(verifyChain(events)).toEqual({ valid: true });
    }
  });

  it('after erasure reads the fields as null, marked erased, on every read path; the chain stays valid', async () => {
    await store.erasePersonalData(`lead-${leadA}`);

    for (const events of await readEverywhere(`lead-${leadA}`)) {
      expect(events[0].data).toEqual({
        ...captured(leadA).data,
        email: null,
        name: null,
        personalDataErased: true,
      });
      expect(verifyChain(events)).toEqual({ valid: true });
    }
    const [other] = await store.readStream(`lead-${leadB}`);
    expect(other.data).toMatchObject({ email: 'ada@example.com' });
    expect(other.data).not.toHaveProperty('name');
  });

  it('sealed reads hand out personal fields as stored, null once erased, and never decrypt', async () => {
    await store.erasePersonalData(`lead-${leadA}`);
    // a forged ciphertext: only decrypting would notice (revealed, it reads as unreadable)
    const [original] = await store.readStream(`lead-${leadB}`);
    const sealed = (original.storedData!.email as { $encrypted: string }).$encrypted;
    const forged = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    editRaw(
      `UPDATE events SET data = json_set(data, '$.email.$encrypted', ?) WHERE stream_id = ? AND revision = 0`,
      forged,
      `lead-${leadB}`,
    );
    const stored = JSON.parse(rawRows()[2].data) as Record<string, unknown>;

    const received: RecordedEvent[] = [];
    const subscription = store.subscribe({
      personalData: 'sealed',
      onEvents: (events) => void received.push(...events),
    });
    await subscription.caughtUp;
    await subscription.close();

    expect(await store.readAll({ personalData: 'sealed' })).toEqual(received);
    const [erased, engagement, kept] = received;
    expect(erased.data).toEqual({
      ...captured(leadA).data,
      email: null,
      name: null,
      personalDataErased: true,
    });
    expect(isEncryptedValue(erased.storedData?.email)).toBe(true);
    expect(engagement.storedData).toBeUndefined();
    // the other lead's fields stay ciphertext, in data and storedData alike, never opened
    expect(kept.data).toEqual(stored);
    expect(kept.storedData).toEqual(stored);
    expect((await store.readStream(`lead-${leadB}`))[0].data).toMatchObject({
      personalDataUnreadable: true,
    });
  });

  it('erasure holds for a new process with the same vault, and no new key can be made for the lead', async () => {
    await store.erasePersonalData(`lead-${leadA}`);
    await store.close();
    open();

    const [capture] = await store.readStream(`lead-${leadA}`);
    expect(capture.data).toMatchObject({ email: null, name: null, personalDataErased: true });
    await expect(
      store.append(`lead-${leadA}`, [captured(leadA)], 'stream_exists'),
    ).rejects.toBeInstanceOf(PersonalDataErased);
  });

  it('a retried append (same event ids) appends nothing, though its ciphertext differs', async () => {
    const retry = captured(leadA);
    const first = await store.append(`lead-${leadA}`, [{ ...retry }], 1);
    const again = await store.append(`lead-${leadA}`, [{ ...retry }], 1);

    expect(again).toEqual(first);
    expect(await store.readStream(`lead-${leadA}`)).toHaveLength(3);
  });

  it('an edited ciphertext reads as unreadable (not erased) and breaks the chain at that event', async () => {
    const [stored] = await store.readStream(`lead-${leadA}`);
    const sealed = (stored.storedData!.email as { $encrypted: string }).$encrypted;
    const forged = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    editRaw(
      `UPDATE events SET data = json_set(data, '$.email.$encrypted', ?) WHERE stream_id = ? AND revision = 0`,
      forged,
      `lead-${leadA}`,
    );

    const events = await store.readStream(`lead-${leadA}`);

    expect(events[0].data).toMatchObject({
      email: null,
      name: 'Ada Lovelace',
      personalDataUnreadable: true,
    });
    expect(events[0].data).not.toHaveProperty('personalDataErased');
    expect(verifyChain(events)).toMatchObject({
      valid: false,
      brokenAt: { revision: 0, reason: 'hash does not match the event content' },
    });
  });

  it('a plaintext email written straight into the log reads as written and breaks the chain', async () => {
    editRaw(
      `UPDATE events SET data = json_set(data, '$.email', 'mallory@example.com') WHERE stream_id = ? AND revision = 0`,
      `lead-${leadA}`,
    );

    const events = await store.readStream(`lead-${leadA}`);

    expect(events[0].data.email).toBe('mallory@example.com');
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: { revision: 0 } });
  });

  it('fails loudly when the vault has no key for stored ciphertext (a wrong or lost vault)', async () => {
    await store.close();
    vault = new InMemoryPersonalDataVault();
    open();

    await expect(store.readStream(`lead-${leadA}`)).rejects.toBeInstanceOf(PersonalDataKeyMissing);
    await expect(store.readAll()).rejects.toThrow(/no key/);
  });

  it('refuses personal data in a stream that has no key owner', async () => {
    await expect(store.append('deadline-watcher', [captured(leadA)], 'any')).rejects.toThrow(
      'cannot store personal data',
    );
    expect(await store.readStream('deadline-watcher')).toEqual([]);
  });
});
