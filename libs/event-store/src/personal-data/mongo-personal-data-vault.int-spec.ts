import { MongoPersonalDataVault } from './mongo-personal-data-vault';
import { personalDataVaultContract } from './personal-data-vault.contract';

// Needs a running MongoDB (docker/docker-compose.yml), e.g.
// MONGO_URL='mongodb://localhost:27017/?replicaSet=rs0' npm run test:integration
const url = process.env.MONGO_URL ?? '';
const dbName = process.env.MONGO_DB ?? 'lead_personal_data_test';
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
