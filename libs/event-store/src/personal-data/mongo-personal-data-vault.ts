import {
  Binary,
  type Collection,
  MongoClient,
  MongoServerError,
  type UpdateFilter,
  type WriteConcernSettings,
} from 'mongodb';
import { redactConnectionString } from '../adapter-rules';
import { newDataKey } from './personal-data-cipher';
import {
  type DataKeyState,
  PersonalDataErased,
  PersonalDataVault,
} from './personal-data-vault.port';

export const personalDataKeysCollection = 'personal_data_keys';

/** A destroyed key keeps its document with `key: null`: the tombstone. */
export type PersonalDataKeyDocument = {
  _id: string;
  key: Binary | null;
  createdAt: string;
  destroyedAt?: string;
};

export type KeyWrite = {
  filter: { _id: string };
  update: UpdateFilter<PersonalDataKeyDocument>;
};

const duplicateKey = 11000;
// A key must be durable before the event it encrypts is appended.
const durable: WriteConcernSettings = { w: 'majority', journal: true };

/** Inserts the key unless the subject already has a document (a live key or a tombstone). */
export const createKeyWrite = (subjectId: string, key: Buffer, now: string): KeyWrite => ({
  filter: { _id: subjectId },
  update: { $setOnInsert: { key: new Binary(key), createdAt: now } },
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

/** Data keys in MongoDB (collection `personal_data_keys`), apart from the event log. */
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
    } catch (error) {
      throw new Error(
        `MONGO_URL ${redactConnectionString(url)}: the personal data vault could not connect: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new MongoPersonalDataVault(client, dbName, options.clock);
  }

  override async createKey(subjectId: string): Promise<Buffer> {
    const existing = await this.keys.findOne({ _id: subjectId });
    if (!existing) {
      const { filter, update } = createKeyWrite(subjectId, newDataKey(), this.now());
      try {
        await this.keys.updateOne(filter, update, { upsert: true, writeConcern: durable });
      } catch (error) {
        // a concurrent creation won; read its key below
        if (!(error instanceof MongoServerError && error.code === duplicateKey)) throw error;
      }
    }
    const stored = existing ?? (await this.keys.findOne({ _id: subjectId }));
    const state = stored && keyStateOf(stored);
    if (state?.status !== 'active') throw new PersonalDataErased(subjectId);
    return state.key;
  }

  override async getKeys(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    if (subjectIds.length === 0) return new Map();
    const documents = await this.keys.find({ _id: { $in: [...new Set(subjectIds)] } }).toArray();
    return new Map(documents.map((document) => [document._id, keyStateOf(document)]));
  }

  override async destroyKey(subjectId: string): Promise<void> {
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
