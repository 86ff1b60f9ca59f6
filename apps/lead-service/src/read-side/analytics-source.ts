import { Injectable } from '@nestjs/common';
import { EventStore } from '@lead/event-store';
import {
  type Projection,
  type ReadView,
  leadAttributionProjection,
  leadSummaryProjection,
  ReadStore,
  openReadView,
  projectionsCheckpoint,
  resolveAsOf,
} from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import { AppSettings, Clock } from '../config/app-settings';
import { ApplicationError, type ApplicationErrorCode } from '../http/application-error';

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

const badRequest = (code: ApplicationErrorCode, field: string, detail: string) =>
  new ApplicationError(code, detail, [{ field, message: detail }]);

// One code path for "now" and "then": live queries read the projected read models; as-of
// queries replay the log up to a time or position into memory through the same projections and
// run the same query code on that.
@Injectable()
export class AnalyticsSource {
  private readonly replays = new Map<string, Promise<ReadView>>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly background: BackgroundWork,
    private readonly settings: AppSettings,
    private readonly clock: Clock,
  ) {}

  async view({ asOf, consistentWith }: ViewRequest, need: ReadModelNeed): Promise<ReadView> {
    if (asOf !== undefined) return this.replayed(asOf, need);
    if (consistentWith !== undefined) await this.waitFor(consistentWith);
    return openReadView({ readStore: this.readStore, now: this.clock.now() });
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
      throw new ApplicationError(
        'read_models_behind',
        `read models have not reached position ${consistentWith} yet; retry shortly`,
      );
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
  private replayed(asOf: string, need: ReadModelNeed): Promise<ReadView> {
    const key = `${need} ${asOf}`;
    const cached = this.replays.get(key);
    if (cached) return cached;
    const replay = this.replay(asOf, need);
    this.replays.set(key, replay);
    replay.catch(() => this.replays.delete(key));
    if (this.replays.size > cachedReplays) this.replays.delete(this.replays.keys().next().value!);
    return replay;
  }

  private async replay(asOf: string, need: ReadModelNeed): Promise<ReadView> {
    const limit = await resolveAsOf(this.eventStore, asOf, this.clock.now());
    if (!('refused' in limit)) {
      return openReadView({
        eventStore: this.eventStore,
        limit,
        replay: { projections: projectionsFor[need] },
      });
    }
    switch (limit.refused) {
      case 'malformed':
        throw badRequest(
          'validation_failed',
          'asOf',
          'asOf must be an ISO-8601 time or position:<n>',
        );
      case 'beyond_head':
        throw badRequest(
          'as_of_beyond_head',
          'asOf',
          `position ${limit.position} has not been written yet`,
        );
      case 'in_future':
        throw badRequest('as_of_in_future', 'asOf', 'asOf must not be in the future');
    }
  }
}
