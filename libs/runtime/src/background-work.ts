import { SlaDeadlineWatcher, SlaRemedyRunner } from '@lead/automations';
import { type EventStore, describeFailure } from '@lead/event-store';
import { EventRelay, type EventPublisher } from '@lead/messaging';
import {
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ReadStore,
  leadProjections,
} from '@lead/read-models';
import type { AppConfig } from './app-config';

export type BackgroundWorkOptions = {
  config: AppConfig;
  eventStore: EventStore;
  readStore: ReadStore;
  publisher: EventPublisher | null;
  now: () => Date;
  log: { error(message: string): void };
  /** the projector's backoff when the read store refuses a batch (tests shorten it) */
  projectorRetry?: ProjectionRunnerOptions['retry'];
};

export const deadlineCheckIntervalMs = 15_000;

// Everything that follows the log: projector, Kafka relay (when configured), the SLA deadline
// watcher and the remedies on its breach alerts. lead-service runs it in-process (the embedded
// default); lead-worker runs it alone.
export class BackgroundWork {
  readonly projector: ProjectionRunner;
  readonly watcher: SlaDeadlineWatcher;
  readonly remedies: SlaRemedyRunner;
  readonly relay: EventRelay | null;

  constructor(private readonly options: BackgroundWorkOptions) {
    const { config, eventStore, readStore, publisher, now, log, projectorRetry } = options;
    this.projector = new ProjectionRunner({
      eventStore,
      readStore,
      projections: leadProjections,
      now,
      retry: projectorRetry,
      onRetry: (error, attempts, delayMs) =>
        log.error(
          `projection batch not stored (attempt ${attempts}), retrying in ${delayMs} ms: ${describeFailure(error)}`,
        ),
      onError: (error) => log.error(`projection stopped: ${String(error)}`),
      onParked: (parked) =>
        log.error(
          `projection ${parked.projection} parked event ${parked.eventId} at position ${parked.position}: ${parked.error}`,
        ),
    });
    this.watcher = new SlaDeadlineWatcher({
      eventStore,
      readStore,
      now,
      graceSeconds: config.slaBreachGraceSeconds,
      onError: (error) => log.error(`SLA deadline check failed: ${String(error)}`),
    });
    this.remedies = new SlaRemedyRunner({
      eventStore,
      readStore,
      now,
      onError: (error) => log.error(`SLA remedy check failed: ${String(error)}`),
    });
    this.relay = publisher && new EventRelay({ eventStore, publisher, checkpoints: readStore });
  }

  /** resolves once the projections have caught up with the log */
  async start(): Promise<void> {
    await this.projector.start();
    await this.relay?.start();
    this.watcher.start(deadlineCheckIntervalMs);
    this.remedies.start(deadlineCheckIntervalMs);
  }

  async stop(): Promise<void> {
    await this.watcher.stop();
    await this.remedies.stop();
    await this.relay?.stop();
    await this.projector.stop();
    await this.options.publisher?.close();
  }
}
