import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '@lead/event-store';
import type { ReadStore } from '@lead/read-models';
import {
  type AppConfig,
  BackgroundWork,
  openEventStore,
  openPublisher,
  openReadStore,
} from '@lead/runtime';

type Stores = { eventStore: EventStore; readStore: ReadStore };
const stores = Symbol('stores');

class WorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('lead-worker');

  constructor(
    @Inject(BackgroundWork) private readonly background: BackgroundWork,
    @Inject(stores) private readonly opened: Stores,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.background.start();
    this.logger.log(
      `projections caught up at position ${this.background.projector.position()}; following the log`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.background.stop();
    await this.opened.eventStore.close();
    await this.opened.readStore.close();
  }
}

// The worker of a scaled deployment: projector, Kafka relay and SLA deadline watcher, while
// lead-service instances (BACKGROUND_WORK=false) serve HTTP.
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        {
          provide: stores,
          useFactory: async (): Promise<Stores> => ({
            eventStore: await openEventStore(config, () => new Date()),
            readStore: await openReadStore(config),
          }),
        },
        {
          provide: BackgroundWork,
          inject: [stores],
          useFactory: ({ eventStore, readStore }: Stores) =>
            new BackgroundWork({
              config,
              eventStore,
              readStore,
              publisher: openPublisher(config),
              now: () => new Date(),
              log: new Logger('BackgroundWork'),
            }),
        },
        WorkerLifecycle,
      ],
    };
  }
}
