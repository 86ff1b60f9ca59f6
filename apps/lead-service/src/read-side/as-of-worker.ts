import { parentPort, workerData } from 'node:worker_threads';
import { openReadView } from '@lead/read-models';
import { type AppConfig, openEventStore } from '@lead/runtime';
import { type AsOfJob, type AsOfOutcome } from './as-of-pool';
import { asOfQuestions } from './as-of-questions';

// One as-of worker thread: its own reading handle on the event log (the same configuration as
// the service), one job at a time, each replayed into memory and answered by the same question
// code the main thread runs.
const { config } = workerData as { config: AppConfig };
const port = parentPort!;
const opened = openEventStore(config, () => new Date(), { readonly: true });

const answer = async ({ question, limit, params }: AsOfJob): Promise<unknown> => {
  const { projections, answer: ask } = asOfQuestions[question];
  const view = await openReadView({
    eventStore: await opened,
    limit,
    replay: { projections },
  });
  try {
    return await (ask as (view: unknown, params: unknown) => Promise<unknown>)(view, params);
  } finally {
    await view.store.close();
  }
};

port.on('message', (job: AsOfJob) => {
  answer(job).then(
    (result): void => port.postMessage({ ok: true, answer: result } satisfies AsOfOutcome),
    (error: unknown): void =>
      port.postMessage({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies AsOfOutcome),
  );
});
