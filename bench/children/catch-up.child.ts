import { ProjectionRunner, leadProjections } from '@lead/read-models';
import { loadConfig, openEventStore, openReadStore } from '@lead/runtime';
import { exitOnRequest, failChild, reportToParent } from '../lib/child';

// Projection catch-up as the app does it at start: the app's own event store (decrypting
// personal fields) and read store on DATA_DIR, a ProjectionRunner from an empty read store to the
// head of the log. Usage: catch-up.child.ts <dataDir>
const main = async (): Promise<void> => {
  exitOnRequest();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: process.argv[2] });
  const eventStore = await openEventStore(config, () => new Date());
  const readStore = await openReadStore(config);
  const events = Number(await eventStore.headPosition());
  const runner = new ProjectionRunner({ eventStore, readStore, projections: leadProjections });
  const began = performance.now();
  await runner.start();
  const seconds = (performance.now() - began) / 1000;
  await runner.stop();
  await readStore.close();
  await eventStore.close();
  reportToParent({ type: 'caught-up', events, seconds, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 });
};

main().catch(failChild);
