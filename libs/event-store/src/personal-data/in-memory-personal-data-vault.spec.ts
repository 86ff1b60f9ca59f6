import { InMemoryPersonalDataVault } from './in-memory-personal-data-vault';
import { personalDataVaultContract } from './personal-data-vault.contract';

personalDataVaultContract('InMemoryPersonalDataVault', () =>
  Promise.resolve(new InMemoryPersonalDataVault()),
);
