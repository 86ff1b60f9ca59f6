import { Injectable } from '@nestjs/common';
import { leadStreamPrefix } from '@lead/domain';
import { EventStore } from '@lead/event-store';
import {
  type ReadView,
  type ReplayLimit,
  ReadStore,
  openReadView,
  projectionsCheckpoint,
  resolveAsOf,
} from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import { AppSettings, Clock } from '../config/app-settings';
import { ApplicationError, type ApplicationErrorCode } from '../http/application-error';
import { AsOfPool } from './as-of-pool';
import { type AnswerOf, type ParamsOf, type QuestionName, asOfQuestions } from './as-of-questions';

export type ViewRequest = { asOf?: string; consistentWith?: string };

const consistencyWaitMs = 2_000;
const checkpointPollMs = 100;

const badRequest = (code: ApplicationErrorCode, field: string, detail: string) =>
  new ApplicationError(code, detail, [{ field, message: detail }]);

// One code path for "now" and "then": live questions read the projected read models; as-of
// questions go to a worker thread that replays the log up to a time or position into memory
// through the same projections and runs the same question code on that (asOfQuestions).
@Injectable()
export class AnalyticsSource {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly background: BackgroundWork,
    private readonly settings: AppSettings,
    private readonly clock: Clock,
    private readonly pool: AsOfPool,
  ) {}

  /** The projected read models, once they have reached `consistentWith` when it is given. */
  async view({ consistentWith }: { consistentWith?: string }): Promise<ReadView> {
    if (consistentWith !== undefined) await this.waitFor(consistentWith);
    return openReadView({ readStore: this.readStore, now: this.clock.now() });
  }

  /**
   * A question answered now in this thread, or as of `asOf` by an as-of worker; `signal` aborts
   * the worker's job when the client goes away.
   */
  async answer<Q extends QuestionName>(
    question: Q,
    request: ViewRequest,
    params: ParamsOf<Q>,
    signal?: AbortSignal,
  ): Promise<AnswerOf<Q>> {
    if (request.asOf !== undefined) {
      return this.pool.run(question, await this.limit(request.asOf), params, signal);
    }
    const ask = asOfQuestions[question].answer as (
      view: ReadView,
      params: ParamsOf<Q>,
    ) => Promise<AnswerOf<Q>>;
    return ask(await this.view(request), params);
  }

  /** Drops every cached replay and snapshot read before an erasure appended at `erasedAt`. */
  forgetReplays(erasedAt: bigint): Promise<void> {
    return this.pool.forgetReplays(erasedAt);
  }

  /** The log head now, as an as-of point: what "as of the request" means. */
  async headLimit(): Promise<ReplayLimit> {
    return { kind: 'position', position: await this.eventStore.headPosition() };
  }

  /** Runs a question in an as-of worker at an already resolved point. */
  answerAt<Q extends QuestionName>(
    question: Q,
    limit: ReplayLimit,
    params: ParamsOf<Q>,
    signal?: AbortSignal,
  ): Promise<AnswerOf<Q>> {
    return this.pool.run(question, limit, params, signal);
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
    const target = await this.lastLeadEventUpTo(position, await this.projectorCheckpoint());
    if (this.settings.config.backgroundWork) {
      return this.background.projector.waitFor(target, consistencyWaitMs);
    }
    for (let waited = 0; waited <= consistencyWaitMs; waited += checkpointPollMs) {
      if ((await this.projectorCheckpoint()) >= target) return true;
      await new Promise((resolve) => setTimeout(resolve, checkpointPollMs));
    }
    return false;
  }

  private async projectorCheckpoint(): Promise<bigint> {
    if (this.settings.config.backgroundWork) return this.background.projector.position();
    return (await this.readStore.checkpoint(projectionsCheckpoint)) ?? 0n;
  }

  // The projector follows the lead streams only, so its checkpoint never passes an agreement
  // event: the read models are consistent with `position` once they hold the last lead event at
  // or before it. Only the events between the checkpoint and `position` are read.
  private async lastLeadEventUpTo(position: bigint, checkpoint: bigint): Promise<bigint> {
    let target = checkpoint;
    for (;;) {
      const page = await this.eventStore.readAll({
        after: target,
        streamPrefix: leadStreamPrefix,
        limit: 500,
      });
      for (const event of page) {
        if (event.position > position) return target;
        target = event.position;
      }
      if (page.length < 500) return target;
    }
  }

  /** An as-of point checked here (refusals are 400s) before a worker replays up to it. */
  async limit(asOf: string): Promise<ReplayLimit> {
    const limit = await resolveAsOf(this.eventStore, asOf, this.clock.now());
    if (!('refused' in limit)) return limit;
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
