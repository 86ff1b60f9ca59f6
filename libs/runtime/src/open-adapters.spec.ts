import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PersonalDataEventStore,
  SqlitePersonalDataVault,
  isEncryptedValue,
} from '@lead/event-store';
import { KafkaEventPublisher } from '@lead/messaging';
import { EmbeddedReadStore } from '@lead/read-models';
import { loadConfig } from './app-config';
import { openEventStore, openPublisher, openReadStore } from './open-adapters';

describe('adapters chosen by configuration', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'runtime-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('embedded by default: SQLite files under DATA_DIR, relay off', async () => {
    const config = loadConfig({ DATA_DIR: join(dataDir, 'nested') });
    const eventStore = await openEventStore(config, () => new Date());
    const readStore = await openReadStore(config);
    expect(eventStore).toBeInstanceOf(PersonalDataEventStore);
    expect(eventStore.vault).toBeInstanceOf(SqlitePersonalDataVault);
    expect(existsSync(join(dataDir, 'nested', 'events.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'nested', 'keys.sqlite'))).toBe(true);
    expect(readStore).toBeInstanceOf(EmbeddedReadStore);
    expect(openPublisher(config)).toBeNull();
    await eventStore.close();
    await readStore.close();
  });

  it('the event store always encrypts personal fields, with keys in DATA_DIR/keys.sqlite', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const eventStore = await openEventStore(config, () => new Date('2026-03-01T10:00:00.000Z'));
    const leadId = '0192f7a0-0000-7000-8000-000000000001';
    await eventStore.append(
      `lead-${leadId}`,
      [
        {
          type: 'LeadCaptured',
          data: { leadId, email: 'ada@example.com', name: 'Ada' },
          metadata: {
            eventId: '0192f7a0-0000-7000-8000-0000000000e1',
            occurredAt: '2026-03-01T10:00:00.000Z',
            actor: { id: 'user-1', role: 'marketing' },
            correlationId: 'correlation-1',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );
    const [read] = await eventStore.readStream(`lead-${leadId}`);
    await eventStore.close();

    expect(read.data).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    const raw = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    const stored = JSON.parse(
      raw.prepare('SELECT data FROM events').pluck().get() as string,
    ) as Record<string, unknown>;
    raw.close();
    expect(isEncryptedValue(stored.email)).toBe(true);
    expect(isEncryptedValue(stored.name)).toBe(true);
  });

  // With MONGO_URL set the keys live in MongoDB; a wrong URL fails the event store at start too.
  it('a wrong MONGO_URL fails the event store (its key vault) fast, naming the variable', async () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      MONGO_URL: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500',
    });
    await expect(openEventStore(config, () => new Date())).rejects.toThrow(/MONGO_URL/);
  });

  it('Kafka publisher when KAFKA_BROKERS is set', async () => {
    const publisher = openPublisher(loadConfig({ KAFKA_BROKERS: '127.0.0.1:1' }));
    expect(publisher).toBeInstanceOf(KafkaEventPublisher);
    await publisher?.close();
  });

  // Nothing listens on port 1: a wrong URL must fail at start, fast, naming the variable.
  it('a wrong EVENTSTORE_URL fails fast with a clear message', async () => {
    const config = loadConfig({ EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' });
    await expect(openEventStore(config, () => new Date())).rejects.toThrow(
      /EventStoreDB|EVENTSTORE_URL/,
    );
  });

  it('a wrong MONGO_URL fails fast with a clear message', async () => {
    const config = loadConfig({ MONGO_URL: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500' });
    await expect(openReadStore(config)).rejects.toThrow(/MongoDB|MONGO_URL/);
  });

  it('a malformed MONGO_URL names the variable', async () => {
    await expect(openReadStore(loadConfig({ MONGO_URL: 'not-a-url' }))).rejects.toThrow(
      /MONGO_URL/,
    );
  });
});
