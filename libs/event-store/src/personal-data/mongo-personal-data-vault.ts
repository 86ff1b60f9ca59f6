import {
  Binary,
  type Collection,
  type Filter,
  MongoClient,
  MongoServerError,
  type UpdateFilter,
  type WriteConcernSettings,
} from 'mongodb';
import { redactConnectionString } from '../adapter-rules';
import { type DataKey, newDataKey, newKeyId } from './personal-data-cipher';
import {
  type DataKeyState,
  PersonalDataErased,
  PersonalDataVault,
} from './personal-data-vault.port';

export const personalDataKeysCollection = 'personal_data_keys';

/**
 * One document per subject, its one key. A destroyed key keeps its document with `key: null`:
 * the tombstone. Keys created before key ids get their `keyId` when next handed out.
 */
export type PersonalDataKeyDocument = {
  _id: string;
  key: Binary | null;
  keyId?: string;
  createdAt: string;
  destroyedAt?: string;
};

export type KeyWrite = {
  filter: Filter<PersonalDataKeyDocument>;
  update: UpdateFilter<PersonalDataKeyDocument>;
};

const duplicateKey = 11000;
// A key must be durable before the event it encrypts is appended.
const durable: WriteConcernSettings = { w: 'majority', journal: true };

/** Inserts the key unless the subject already has a document (a live key or a tombstone). */
export const createKeyWrite = (subjectId: string, { id, key }: DataKey, now: string): KeyWrite => ({
  filter: { _id: subjectId },
  update: { $setOnInsert: { key: new Binary(key), keyId: id, createdAt: now } },
});

/** Names a key created before key ids; the first name given wins. */
export const nameKeyWrite = (subjectId: string, keyId: string): KeyWrite => ({
  filter: { _id: subjectId, keyId: { $exists: false } },
  update: { $set: { keyId } },
});

/** Clears the key; the first destruction time is kept (`$min` sets an absent field). */
export const destroyKeyWrite = (subjectId: string, now: string): KeyWrite => ({
  filter: { _id: subjectId },
  update: { $set: { key: null }, $setOnInsert: { createdAt: now }, $min: { destroyedAt: now } },
});

export const keyStateOf = (document: PersonalDataKeyDocument): DataKeyState =>
  document.key === null || document.key === undefined
    ? { status: 'destroyed' }
    : { status: 'active', key: Buffer.from(document.key.buffer) };

/**
 * Data keys in MongoDB (collection `personal_data_keys`), apart from the event log. A key is
 * bound to its subject by the durable write that creates it, so erasure needs no key ids.
 */
export class MongoPersonalDataVault extends PersonalDataVault {
  private readonly keys: Collection<PersonalDataKeyDocument>;

  constructor(
    private readonly client: MongoClient,
    dbName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    super();
    this.keys = client.db(dbName).collection<PersonalDataKeyDocument>(personalDataKeysCollection);
  }

  /** Connects and pings, so a wrong MONGO_URL stops the app at startup. */
  static async connect(
    url: string,
    dbName: string,
    options: { serverSelectionTimeoutMs?: number; clock?: () => Date } = {},
  ): Promise<MongoPersonalDataVault> {
    let client: MongoClient;
    try {
      // a timeout given in the URL wins over the default
      const urlTimeout = /[?&]serverSelectionTimeoutMS=/i.test(url);
      client = new MongoClient(
        url,
        urlTimeout ? {} : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000 },
      );
      await client.connect();
      await client.db(dbName).command({ ping: 1 });
      await client
        .db(dbName)
        .collection<PersonalDataKeyDocument>(personalDataKeysCollection)
        .createIndex({ keyId: 1 });
    } catch (error) {
      throw new Error(
        `MONGO_URL ${redactConnectionString(url)}: the personal data vault could not connect: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new MongoPersonalDataVault(client, dbName, options.clock);
  }

  override async keyFor(subjectId: string): Promise<DataKey> {
    let stored = await this.keys.findOne({ _id: subjectId });
    if (stored === null || (stored.key !== null && stored.keyId === undefined)) {
      const { filter, update } =
        stored === null
          ? createKeyWrite(subjectId, { id: newKeyId(), key: newDataKey() }, this.now())
          : nameKeyWrite(subjectId, newKeyId());
      try {
        await this.keys.updateOne(filter, update, {
          upsert: stored === null,
          writeConcern: durable,
        });
      } catch (error) {
        // a concurrent creation won; read its key below
        if (!(error instanceof MongoServerError && error.code === duplicateKey)) throw error;
      }
      stored = await this.keys.findOne({ _id: subjectId });
    }
    const state = stored && keyStateOf(stored);
    if (state?.status !== 'active' || stored?.keyId === undefined) {
      throw new PersonalDataErased(subjectId);
    }
    return { id: stored.keyId, key: state.key };
  }

  override async getKeysById(keyIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    if (keyIds.length === 0) return new Map();
    const documents = await this.keys.find({ keyId: { $in: [...new Set(keyIds)] } }).toArray();
    return new Map(documents.map((document) => [document.keyId!, keyStateOf(document)]));
  }

  override async getSubjectKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    if (subjectIds.length === 0) return new Map();
    const documents = await this.keys.find({ _id: { $in: [...new Set(subjectIds)] } }).toArray();
    return new Map(documents.map((document) => [document._id, keyStateOf(document)]));
  }

  // Every key of the subject is on its document, so the ids found in its data add nothing.
  override async destroyKeys(subjectId: string): Promise<void> {
    const { filter, update } = destroyKeyWrite(subjectId, this.now());
    await this.keys.updateOne(filter, update, { upsert: true, writeConcern: durable });
  }

  override async close(): Promise<void> {
    await this.client.close();
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
