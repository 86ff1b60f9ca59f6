import { randomUUID } from 'node:crypto';
import { MongoPersonalDataVault } from './mongo-personal-data-vault';
import { personalDataVaultContract } from './personal-data-vault.contract';

// Needs a MongoDB-protocol server: `npm test` starts FerretDB (npm run infra); MongoDB itself via
// docker/docker-compose.yml, e.g. MONGO_URL='mongodb://localhost:27017/?replicaSet=rs0' npm run test:integration
const url = process.env.MONGO_URL ?? '';
// a database of its own per run, so suites and runs never see each other's keys
const dbName = process.env.MONGO_DB ?? `lead_personal_data_test_${randomUUID().slice(0, 8)}`;
const describeIfMongo = url ? describe : describe.skip;

describeIfMongo(
  url
    ? `MongoPersonalDataVault (database ${dbName})`
    : 'MongoPersonalDataVault (skipped: MONGO_URL is not set, so there is no MongoDB to run against)',
  () => {
    personalDataVaultContract('MongoPersonalDataVault', () =>
      MongoPersonalDataVault.connect(url, dbName),
    );

    it('a wrong URL fails fast, naming MONGO_URL', async () => {
      await expect(
        MongoPersonalDataVault.connect('mongodb://127.0.0.1:1/', dbName, {
          serverSelectionTimeoutMs: 300,
        }),
      ).rejects.toThrow(/MONGO_URL/);
    });
  },
);
