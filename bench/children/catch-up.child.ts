import { SqliteEventStore } from '@lead/event-store';
import { EmbeddedReadStore, ProjectionRunner, leadProjections } from '@lead/read-models';
import { exitOnRequest, failChild, reportToParent } from '../lib/child';

// Projection catch-up as the app does it at start: a ProjectionRunner over the whole log into an
// empty, file-backed EmbeddedReadStore. Usage: catch-up.child.ts <events.sqlite> <read-models.sqlite>
const main = async (): Promise<void> => {
  exitOnRequest();
  const [logPath, readStorePath] = process.argv.slice(2);
  const eventStore = new SqliteEventStore({ path: logPath });
  const readStore = new EmbeddedReadStore({ path: readStorePath });
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
