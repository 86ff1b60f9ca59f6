import { BadRequestException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EventStore } from '@lead/event-store';
import {
  type LogHeadDoc,
  type Projection,
  leadAttributionProjection,
  leadSummaryProjection,
  ReadStore,
  type ReplayLimit,
  parseReplayLimit,
  projectionsCheckpoint,
  replayUpTo,
} from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import { AppSettings, Clock } from '../config/app-settings';

export type AsOf = { position: string; recordedAt: string | null };
/** A read store to answer from, what it is based on, and the instant SLA clocks are judged at. */
export type AnalyticsView = { store: ReadStore; asOf: AsOf; now: string };
export type ViewRequest = { asOf?: string; consistentWith?: string };
/** which read models a question reads: an as-of replay projects only those */
export type ReadModelNeed = 'attribution' | 'leads';
const projectionsFor: Record<ReadModelNeed, readonly Projection[]> = {
  attribution: [leadAttributionProjection],
  leads: [leadSummaryProjection],
};

const cachedReplays = 4;
const consistencyWaitMs = 2_000;
const checkpointPollMs = 100;

const badRequest = (code: string, field: string, detail: string) =>
  new BadRequestException({ code, detail, errors: [{ field, message: detail }] });

// One code path for "now" and "then": live queries read the projected read models; as-of
// queries replay the log up to a time or position into memory through the same projections and
// run the same query code on that.
@Injectable()
export class AnalyticsSource {
  private readonly replays = new Map<string, Promise<AnalyticsView>>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly background: BackgroundWork,
    private readonly settings: AppSettings,
    private readonly clock: Clock,
  ) {}

  async view({ asOf, consistentWith }: ViewRequest, need: ReadModelNeed): Promise<AnalyticsView> {
    if (asOf !== undefined) return this.replayed(asOf, need);
    if (consistentWith !== undefined) await this.waitFor(consistentWith);
    const head = await this.readStore.collection<LogHeadDoc>('log_head').findOne({ _id: 'head' });
    return {
      store: this.readStore,
      asOf: { position: head?.position ?? '0', recordedAt: head?.recordedAt ?? null },
      now: this.clock.now().toISOString(),
    };
  }

  private async waitFor(consistentWith: string): Promise<void> {
    const position = BigInt(consistentWith);
    if (position > (await this.eventStore.headPosition())) {
      throw badRequest(
        'consistent_with_beyond_head',
        'consistentWith',
        `position ${consistentWith} has not been written`,
      );
    }
    if (!(await this.projectedUpTo(position))) {
      throw new ServiceUnavailableException({
        code: 'read_models_behind',
        detail: `read models have not reached position ${consistentWith} yet; retry shortly`,
      });
    }
  }

  // In-process projections signal each commit; when lead-worker projects, the shared read
  // store's checkpoint is checked a few times within the wait.
  private async projectedUpTo(position: bigint): Promise<boolean> {
    if (this.settings.config.backgroundWork) {
      return this.background.projector.waitFor(position, consistencyWaitMs);
    }
    for (let waited = 0; waited <= consistencyWaitMs; waited += checkpointPollMs) {
      if (((await this.readStore.checkpoint(projectionsCheckpoint)) ?? 0n) >= position) return true;
      await new Promise((resolve) => setTimeout(resolve, checkpointPollMs));
    }
    return false;
  }

  /** Drops every cached replay (after an erasure). */
  forgetReplays(): void {
    this.replays.clear();
  }

  // A past as-of point never changes (the log is append-only), so replays are cached by it.
  private replayed(asOf: string, need: ReadModelNeed): Promise<AnalyticsView> {
    const key = `${need} ${asOf}`;
    const cached = this.replays.get(key);
    if (cached) return cached;
    const replay = this.replay(asOf, need);
    this.replays.set(key, replay);
    replay.catch(() => this.replays.delete(key));
    if (this.replays.size > cachedReplays) this.replays.delete(this.replays.keys().next().value!);
    return replay;
  }

  private async replay(asOf: string, need: ReadModelNeed): Promise<AnalyticsView> {
    const limit = await this.parseAsOf(asOf);
    const projections = projectionsFor[need];
    const {
      store,
      asOf: replayedAsOf,
      now,
    } = await replayUpTo(this.eventStore, limit, { projections });
    return { store, asOf: replayedAsOf, now };
  }

  private async parseAsOf(asOf: string): Promise<ReplayLimit> {
    const limit = parseReplayLimit(asOf);
    if (!limit) {
      throw badRequest(
        'validation_failed',
        'asOf',
        'asOf must be an ISO-8601 time or position:<n>',
      );
    }
    if (limit.kind === 'position' && limit.position > (await this.eventStore.headPosition())) {
      throw badRequest(
        'as_of_beyond_head',
        'asOf',
        `position ${limit.position} has not been written yet`,
      );
    }
    // a future as-of point would change as events arrive; answers must be reproducible
    if (limit.kind === 'time' && Date.parse(limit.time) > this.clock.now().getTime()) {
      throw badRequest('as_of_in_future', 'asOf', 'asOf must not be in the future');
    }
    return limit;
  }
}
