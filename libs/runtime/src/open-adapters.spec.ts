import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@lead/event-store';
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
    expect(eventStore).toBeInstanceOf(SqliteEventStore);
    expect(readStore).toBeInstanceOf(EmbeddedReadStore);
    expect(openPublisher(config)).toBeNull();
    await eventStore.close();
    await readStore.close();
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
