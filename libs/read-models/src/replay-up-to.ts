import { leadStreamPrefix } from '@lead/domain';
import { type EventStore, readAllBatches } from '@lead/event-store';
import type { Projection } from './projection';
import { EmbeddedReadStore } from './embedded-read-store';
import { leadProjections } from './lead-projections/lead-projections';
import { replayInto } from './projection-runner';

/** How much of the log an as-of view sees: up to a global position, or what was recorded by a time. */
export type ReplayLimit = { kind: 'position'; position: bigint } | { kind: 'time'; time: string };

export type ReplayedView = {
  /** in memory; close it when done */
  store: EmbeddedReadStore;
  /** the last event replayed (position '0' and recordedAt null for none) */
  asOf: { position: string; recordedAt: string | null };
  /** the instant SLA clocks are judged at: the as-of time, or the last event's recordedAt */
  now: string;
  events: number;
};

export type ReplayOptions = {
  batchSize?: number;
  /** the projections the question needs (default: all lead projections) */
  projections?: readonly Projection[];
  /** after each batch: the last position read and the events replayed so far */
  onBatch?: (position: bigint, events: number) => void;
};

const isoTime = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;

/** `position:<n>` or an ISO-8601 time (normalised to UTC); null when it is neither. */
export const parseReplayLimit = (asOf: string): ReplayLimit | null => {
  const position = /^position:(\d{1,20})$/.exec(asOf);
  if (position) return { kind: 'position', position: BigInt(position[1]) };
  const time = Date.parse(asOf);
  if (!isoTime.test(asOf) || Number.isNaN(time)) return null;
  return { kind: 'time', time: new Date(time).toISOString() };
};

/**
 * Replays the lead streams up to `limit` (knowledge time: position or recordedAt) into an
 * in-memory read store through the live projections, so the same query code answers "then".
 */
export const replayUpTo = async (
  eventStore: EventStore,
  limit: ReplayLimit,
  options: ReplayOptions = {},
): Promise<ReplayedView> => {
  const batchSize = options.batchSize ?? 5_000;
  const store = new EmbeddedReadStore({ path: ':memory:' });
  let events = 0;
  let last: { position: bigint; recordedAt: string } | null = null;
  for await (const batch of readAllBatches(eventStore, {
    streamPrefix: leadStreamPrefix,
    batchSize,
  })) {
    // recordedAt grows with position, so the first event past the limit ends the replay
    const cut = batch.findIndex((event) =>
      limit.kind === 'position'
        ? event.position > limit.position
        : event.metadata.recordedAt > limit.time,
    );
    const included = cut === -1 ? batch : batch.slice(0, cut);
    await replayInto(store, included, options.projections ?? leadProjections);
    events += included.length;
    const end = included.at(-1);
    if (end) last = { position: end.position, recordedAt: end.metadata.recordedAt };
    options.onBatch?.(batch.at(-1)!.position, events);
    if (cut !== -1) break;
  }
  return {
    store,
    asOf: { position: (last?.position ?? 0n).toString(), recordedAt: last?.recordedAt ?? null },
    now: limit.kind === 'time' ? limit.time : (last?.recordedAt ?? new Date(0).toISOString()),
    events,
  };
};
