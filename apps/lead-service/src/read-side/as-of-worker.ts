import { parentPort, workerData } from 'node:worker_threads';
import { type ReadView, openReadView } from '@lead/read-models';
import { type AppConfig, openEventStore } from '@lead/runtime';
import type { AsOfJob, AsOfMessage, AsOfOutcome } from './as-of-pool';
import { asOfQuestions } from './as-of-questions';
import { asOfSnapshots } from './as-of-snapshots';

// One as-of worker thread: its own reading handle on the event log (the same configuration as
// the service), one job at a time, each answered by the same question code the main thread runs
// on the log replayed into memory.
const { config } = workerData as { config: AppConfig };
const port = parentPort!;
const opened = openEventStore(config, () => new Date(), { readonly: true });
// a replay starts from the newest snapshot before its point and leaves one for the next
const snapshots = asOfSnapshots(config) ?? undefined;

// A past point of an append-only log never changes, and a dashboard refresh asks seven questions
// of two read-model sets at one point: the last two replays are kept (each in memory, or in a
// scratch file with snapshots, so no more).
const cachedReplays = 2;
const replays = new Map<string, Promise<ReadView>>();

const replayFor = ({ question, limit }: AsOfJob): Promise<ReadView> => {
  const { projections } = asOfQuestions[question];
  const point = limit.kind === 'position' ? `position:${limit.position}` : limit.time;
  const key = `${projections.map(({ name }) => name).join(',')} ${point}`;
  const cached = replays.get(key);
  if (cached) return cached;
  const replay = opened.then((eventStore) =>
    openReadView({ eventStore, limit, replay: { projections, snapshots } }),
  );
  replays.set(key, replay);
  replay.catch(() => replays.delete(key));
  if (replays.size > cachedReplays) forget(replays.keys().next().value!);
  return replay;
};

const forget = (key: string): void => {
  const replay = replays.get(key);
  replays.delete(key);
  void replay?.then(({ store }) => store.close()).catch(() => undefined);
};

const answer = async (job: AsOfJob): Promise<unknown> => {
  const ask = asOfQuestions[job.question].answer as (view: ReadView, params: unknown) => unknown;
  return ask(await replayFor(job), job.params);
};

port.on('message', (message: AsOfMessage) => {
  if (message.kind === 'forget') {
    for (const key of [...replays.keys()]) forget(key);
    return;
  }
  answer(message.job).then(
    (result): void => port.postMessage({ ok: true, answer: result } satisfies AsOfOutcome),
    (error: unknown): void =>
      port.postMessage({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies AsOfOutcome),
  );
});
