import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@lead/event-store';
import { ProjectionRunner, ReadStore, leadProjections } from '@lead/read-models';

// Hosts the projection runner: catches up from the checkpoint before the app serves, then
// follows the log live. The app module stops it before closing the stores.
@Injectable()
export class Projector implements OnApplicationBootstrap {
  private readonly logger = new Logger(Projector.name);
  readonly runner: ProjectionRunner;

  constructor(eventStore: EventStore, readStore: ReadStore) {
    this.runner = new ProjectionRunner({
      eventStore,
      readStore,
      projections: leadProjections,
      onError: (error) => this.logger.error(`projection stopped: ${String(error)}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }
}
