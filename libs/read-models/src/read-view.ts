import type { EventStore } from '@lead/event-store';
import type { LogHeadDoc } from './lead-projections/log-head.projection';
import type { ReadStore } from './read-store.port';
import { type ReplayLimit, type ReplayOptions, parseReplayLimit, replayUpTo } from './replay-up-to';

/** The last event a view is based on (position '0' and recordedAt null for none). */
export type AsOf = { position: string; recordedAt: string | null };
/** A read store to answer from, what it is based on, and the instant SLA clocks are judged at. */
export type ReadView = { store: ReadStore; asOf: AsOf; now: string };

/** Why an as-of point cannot be answered; each caller words it (a 400, a CLI error). */
export type AsOfRefusal =
  | { refused: 'malformed' }
  | { refused: 'beyond_head'; position: bigint; head: bigint }
  | { refused: 'in_future' };

/**
 * `position:<n>` or an ISO-8601 time, checked: the position must be written already and the
 * time must not be in the future, since a future point would change as events arrive and
 * answers must be reproducible.
 */
export const resolveAsOf = async (
  eventStore: EventStore,
  text: string,
  now: Date,
): Promise<ReplayLimit | AsOfRefusal> => {
  const limit = parseReplayLimit(text);
  if (!limit) return { refused: 'malformed' };
  if (limit.kind === 'position') {
    const head = await eventStore.headPosition();
    if (limit.position > head) return { refused: 'beyond_head', position: limit.position, head };
  } else if (Date.parse(limit.time) > now.getTime()) {
    return { refused: 'in_future' };
  }
  return limit;
};

export type ReadViewSource =
  /** now: the projected read models, judged at `now` */
  | { readStore: ReadStore; now: Date }
  /** then: the log replayed up to `limit` into memory (the view's store must be closed) */
  | { eventStore: EventStore; limit: ReplayLimit; replay?: ReplayOptions };

/**
 * One code path for "now" and "then", for the service and the CLI: the projected read models
 * with the log head they have seen, or the log up to a point replayed through the same
 * projections, so the same query code answers both.
 */
export const openReadView = async (source: ReadViewSource): Promise<ReadView> => {
  if ('limit' in source) {
    const { store, asOf, now } = await replayUpTo(source.eventStore, source.limit, source.replay);
    return { store, asOf, now };
  }
  const head = await source.readStore.collection<LogHeadDoc>('log_head').findOne({ _id: 'head' });
  return {
    store: source.readStore,
    asOf: { position: head?.position ?? '0', recordedAt: head?.recordedAt ?? null },
    now: source.now.toISOString(),
  };
};
