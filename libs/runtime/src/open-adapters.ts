import { join } from 'node:path';
import {
  EsdbEventStore,
  type EventStore,
  MongoPersonalDataVault,
  PersonalDataEventStore,
  type PersonalDataVault,
  SqliteEventStore,
  SqlitePersonalDataVault,
} from '@lead/event-store';
import { type EventPublisher, KafkaEventPublisher } from '@lead/messaging';
import {
  EmbeddedReadStore,
  MongoReadStore,
  type ReadStore,
  leadProjections,
  projectionIndexes,
} from '@lead/read-models';
import type { AppConfig } from './app-config';
import { prepareDataDir } from './data-dir';

// Adapters are chosen by configuration (DESIGN §8). The server adapters prove their server answers
// before the app starts, so a wrong URL fails at start with a message naming the variable.

/** Whether any adapter keeps its files in DATA_DIR (the embedded defaults). */
export const usesDataDir = (config: AppConfig): boolean =>
  config.eventStoreUrl === null || config.mongoUrl === null;

/** Per-lead data keys, apart from the log: MongoDB when MONGO_URL is set, else DATA_DIR/keys.sqlite. */
export const openPersonalDataVault = async (
  config: AppConfig,
  clock: () => Date,
  { readonly = false }: OpenOptions = {},
): Promise<PersonalDataVault> => {
  if (config.mongoUrl)
    return MongoPersonalDataVault.connect(config.mongoUrl, config.mongoDb, { clock });
  if (!readonly) prepareDataDir(config.dataDir);
  const path = join(config.dataDir, 'keys.sqlite');
  return new SqlitePersonalDataVault({ path, clock, readonly });
};

/** readonly: a second, reading handle on files another process (or thread) already opened */
export type OpenOptions = { readonly?: boolean };

const openEventLog = async (
  config: AppConfig,
  clock: () => Date,
  { readonly = false }: OpenOptions,
): Promise<EventStore> => {
  if (config.eventStoreUrl) return EsdbEventStore.connect(config.eventStoreUrl);
  if (!readonly) prepareDataDir(config.dataDir);
  return new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite'), clock, readonly });
};

/**
 * The event log, always behind crypto-shredding: personal fields are encrypted with per-lead keys
 * from the vault, so every process (service, worker, CLI) reads and writes them the same way.
 * `clock` stamps recordedAt (knowledge time) in the embedded store; EventStoreDB uses its own.
 */
export const openEventStore = async (
  config: AppConfig,
  clock: () => Date,
  options: OpenOptions = {},
): Promise<PersonalDataEventStore> => {
  const log = await openEventLog(config, clock, options);
  try {
    return new PersonalDataEventStore(log, await openPersonalDataVault(config, clock, options));
  } catch (error) {
    await log.close();
    throw error;
  }
};

/** The read store with the indexes the lead projections declare (created on first open). */
export const openReadStore = async (config: AppConfig): Promise<ReadStore> => {
  let store: ReadStore;
  if (config.mongoUrl) store = await MongoReadStore.connect(config.mongoUrl, config.mongoDb);
  else {
    prepareDataDir(config.dataDir);
    store = new EmbeddedReadStore({ path: join(config.dataDir, 'read-models.sqlite') });
  }
  try {
    await store.ensureIndexes(projectionIndexes(leadProjections));
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
};

/** null when KAFKA_BROKERS is unset: the relay is off */
export const openPublisher = (config: AppConfig): EventPublisher | null =>
  config.kafkaBrokers.length === 0
    ? null
    : new KafkaEventPublisher({
        brokers: config.kafkaBrokers,
        topic: config.kafkaTopic,
        idempotent: config.kafkaIdempotent,
      });
