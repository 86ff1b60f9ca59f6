import { Injectable } from '@nestjs/common';
import {
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Clock } from '../config/app-settings';
import { LogPositions } from '../observability/log-positions';
import { BrokerStatus } from './broker-status';
import { ProgressWatch, stallAfterSeconds } from './progress-watch';
import { WriteStatus } from './write-status';

/** a store that does not answer within this is down (a probe must never hang) */
export const checkTimeoutMs = 3_000;

const withTimeout = async <T>(work: Promise<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${checkTimeoutMs} ms`)),
      checkTimeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
const lag = (head: bigint, position: bigint): string =>
  (head > position ? head - position : 0n).toString();

// Readiness (DESIGN §6 /health): the stores answer, and the followers of the log (projector,
// Kafka relay when configured) are not stuck. Being behind is fine; not moving while behind is not.
@Injectable()
export class Readiness {
  private readonly projectionProgress = new ProgressWatch();
  private readonly relayProgress = new ProgressWatch();

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly positions: LogPositions,
    private readonly broker: BrokerStatus,
    private readonly writes: WriteStatus,
    private readonly clock: Clock,
  ) {}

  checks(): HealthIndicatorFunction[] {
    return [
      () => this.eventStore(),
      () => this.readStore(),
      () => this.projections(),
      ...(this.positions.relayConfigured() ? [() => this.relay()] : []),
    ];
  }

  async eventStore(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('eventStore');
    try {
      const head = await withTimeout(this.positions.head(), 'the event store');
      // reads may work while writes do not (a full disk): not ready until an append succeeds
      const failed = this.writes.failing();
      if (failed)
        return check.down({
          head: head.toString(),
          lastWriteFailedAt: failed.at,
          message: `event store write failed: ${failed.error}`,
        });
      return check.up({ head: head.toString() });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  async readStore(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('readStore');
    try {
      const parkedEvents = await withTimeout(this.positions.parkedEvents(), 'the read store');
      return check.up({ parkedEvents });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  async projections(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('projections');
    try {
      const { head, position, stuckSeconds } = await withTimeout(
        this.follow('projections', this.projectionProgress, this.positions.projections()),
        'the projection checkpoint',
      );
      const details = { position: position.toString(), lag: lag(head, position) };
      const health = this.positions.projectorHealth();
      if (health?.failing)
        return check.down({
          ...details,
          failing: true,
          since: health.since,
          attempts: health.attempts,
          error: health.error,
          message: `read store write failed: ${health.error} (retrying since ${health.since})`,
        });
      if (stuckSeconds < stallAfterSeconds) return check.up(details);
      return check.down({
        ...details,
        message: `the projector has not moved for ${stuckSeconds} s while events wait`,
      });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  /** the Kafka relay: publishes are acknowledged and it keeps up with the log */
  async relay(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('broker');
    try {
      const { head, position, stuckSeconds } = await withTimeout(
        this.follow(
          'relay',
          this.relayProgress,
          this.positions.relay().then((relayed) => relayed ?? 0n),
        ),
        'the relay checkpoint',
      );
      const last = this.broker.lastPublish();
      const details = {
        position: position.toString(),
        lag: lag(head, position),
        lastPublishAt: last?.at ?? null,
      };
      if (last && !last.ok)
        return check.down({ ...details, message: `the last publish failed: ${last.error}` });
      if (stuckSeconds < stallAfterSeconds) return check.up(details);
      return check.down({
        ...details,
        message: `the relay has not moved for ${stuckSeconds} s while events wait`,
      });
    } catch (error) {
      return check.down({ message: messageOf(error) });
    }
  }

  private async follow(
    follower: 'projections' | 'relay',
    progress: ProgressWatch,
    positionOf: Promise<bigint>,
  ): Promise<{ head: bigint; position: bigint; stuckSeconds: number }> {
    const [head, position] = await Promise.all([this.positions.head(), positionOf]);
    const pending = position < head && (await this.positions.eventsAfter(position, follower));
    return {
      head,
      position,
      stuckSeconds: progress.stuckSeconds(position, pending, this.clock.now()),
    };
  }
}
