import { leadStreamPrefix } from '@lead/domain';
import { type EventStore, readAllBatches } from '@lead/event-store';
import { type Projection, personalDataFor } from './projection';
import { EmbeddedReadStore } from './embedded-read-store';
import { leadProjections } from './lead-projections/lead-projections';
import { replayInto } from './projection-runner';
import type { ReplaySnapshots } from './replay-snapshots';

/** How much of the log an as-of view sees: up to a global position, or what was recorded by a time. */
export type ReplayLimit = { kind: 'position'; position: bigint } | { kind: 'time'; time: string };

export type ReplayedView = {
  /** in memory, or a scratch file with snapshots; close it when done */
  store: EmbeddedReadStore;
  /** the last event replayed (position '0' and recordedAt null for none) */
  asOf: { position: string; recordedAt: string | null };
  /** the instant SLA clocks are judged at: the as-of time, or the last event's recordedAt */
  now: string;
  events: number;
  /** where the replay started: a snapshot's position, or 0n */
  startedAt: bigint;
  /** the snapshots this replay writes, if any (it never fails: a snapshot is an optimisation) */
  snapshotSaved: Promise<void>;
};

export type ReplayOptions = {
  batchSize?: number;
  /** the projections the question needs (default: all lead projections) */
  projections?: readonly Projection[];
  /** after each batch: the last position read and the events replayed so far */
  onBatch?: (position: bigint, events: number) => void;
  /**
   * Replay in a scratch file, starting from a copy of the newest usable snapshot at or before
   * the limit, and keep a snapshot at every snapshot point passed (`snapshotSaved` settles when
   * they are written).
   */
  snapshots?: ReplaySnapshots;
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
 * Replays the lead streams up to `limit` (knowledge time: position or recordedAt) into a read
 * store of its own (in memory, or a scratch file with snapshots) through the live projections,
 * so the same query code answers "then".
 */
export const replayUpTo = async (
  eventStore: EventStore,
  limit: ReplayLimit,
  options: ReplayOptions = {},
): Promise<ReplayedView> => {
  const batchSize = options.batchSize ?? 5_000;
  const projections = options.projections ?? leadProjections;
  const { snapshots } = options;
  // read before any event: see SnapshotPoint.builtAtHead
  const head = snapshots ? await eventStore.headPosition() : 0n;
  const start = snapshots ? await snapshots.newest(projections, limit) : null;
  const store =
    start?.store ?? (await snapshots?.scratch()) ?? new EmbeddedReadStore({ path: ':memory:' });
  const builtAtHead = start?.point.builtAtHead ?? head;
  let events = start?.point.events ?? 0;
  let last: { position: bigint; recordedAt: string } | null = start?.point ?? null;
  const saved: Promise<void>[] = [];
  try {
    for await (const batch of readAllBatches(eventStore, {
      after: start?.point.position,
      streamPrefix: leadStreamPrefix,
      batchSize,
      personalData: personalDataFor(projections),
    })) {
      // recordedAt grows with position, so the first event past the limit ends the replay
      const cut = batch.findIndex((event) =>
        limit.kind === 'position'
          ? event.position > limit.position
          : event.metadata.recordedAt > limit.time,
      );
      const included = cut === -1 ? batch : batch.slice(0, cut);
      // split at the snapshot points, so the state at each can be kept
      let from = 0;
      while (from < included.length) {
        const every = snapshots?.options.every ?? 0;
        const room = every > 0 ? every - (events % every) : Infinity;
        const part = included.slice(from, from + room);
        await replayInto(store, part, projections);
        from += part.length;
        events += part.length;
        const end = part.at(-1)!;
        last = { position: end.position, recordedAt: end.metadata.recordedAt };
        if (snapshots && events % every === 0) {
          const point = { ...last, events, builtAtHead };
          saved.push(snapshots.save(projections, point, store).catch(() => undefined));
        }
      }
      options.onBatch?.(batch.at(-1)!.position, events);
      if (cut !== -1) break;
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    store,
    asOf: { position: (last?.position ?? 0n).toString(), recordedAt: last?.recordedAt ?? null },
    now: limit.kind === 'time' ? limit.time : (last?.recordedAt ?? new Date(0).toISOString()),
    events,
    startedAt: start?.point.position ?? 0n,
    snapshotSaved: Promise.all(saved).then(() => undefined),
  };
};
