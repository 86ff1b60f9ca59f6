import type { EventStore } from '@lead/event-store';
import type { AppConfig } from '@lead/runtime';
import {
  type ReadView,
  type ReplayLimit,
  openReadView,
  projectionsCheckpoint,
  replayUpTo,
  resolveAsOf,
} from '@lead/read-models';
import { CliError, type CliContext, writeLine } from './cli-context';
import { withEventStore, withStores } from './cli-stores';
import { progressBar } from './progress';

/** `position:<n>` or an ISO time, checked like the API checks `asOf`. */
export const resolveReplayLimit = async (
  eventStore: EventStore,
  text: string,
  option: string,
  now: Date,
): Promise<ReplayLimit> => {
  const limit = await resolveAsOf(eventStore, text, now);
  if (!('refused' in limit)) return limit;
  switch (limit.refused) {
    case 'malformed':
      throw new CliError(`${option} must be position:<n> or an ISO-8601 time, got "${text}"`);
    case 'beyond_head':
      throw new CliError(
        `${option} position ${limit.position} has not been written yet (the log ends at ${limit.head})`,
      );
    case 'in_future':
      throw new CliError(`${option} must not be in the future`);
  }
};
/** The log replayed up to `limit` into memory, with a progress bar over positions. */
export const replayWithProgress = async (
  eventStore: EventStore,
  limit: ReplayLimit,
  context: CliContext,
  quiet: boolean,
) => {
  const head = await eventStore.headPosition();
  const end = limit.kind === 'position' && limit.position < head ? limit.position : head;
  const progress = progressBar(context, { label: 'replaying', unit: 'positions', quiet });
  progress.start(Number(end));
  try {
    return await replayUpTo(eventStore, limit, {
      onBatch: (position) => progress.update(Number(position < end ? position : end)),
    });
  } finally {
    progress.stop();
  }
};

/**
 * One code path for "now" and "then", as in the service: without `asOf` the projected read
 * models; with it, the log replayed up to that point through the same projections (the read
 * store is then not opened at all).
 */
export const withReportView = <T>(
  context: CliContext,
  request: { asOf?: string; option: string; quiet: boolean },
  work: (view: ReadView, config: AppConfig) => Promise<T>,
): Promise<T> => {
  const { asOf } = request;
  if (asOf === undefined) {
    return withStores(context, async ({ readStore, config }) => {
      if ((await readStore.checkpoint(projectionsCheckpoint)) === null) {
        writeLine(
          context.stderr,
          'warning: the read models are empty; start the service (or run `rebuild`), or use --as-of',
        );
      }
      return work(await openReadView({ readStore, now: context.now() }), config);
    });
  }
  return withEventStore(context, async (eventStore, config) => {
    const limit = await resolveReplayLimit(eventStore, asOf, request.option, context.now());
    const replayed = await replayWithProgress(eventStore, limit, context, request.quiet);
    try {
      return await work({ store: replayed.store, asOf: replayed.asOf, now: replayed.now }, config);
    } finally {
      await replayed.store.close();
    }
  });
};
