import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStore, PersonalDataEventStore, PersonalDataVault } from '@lead/event-store';
import { ReadStore } from '@lead/read-models';
import {
  type AppConfig,
  BackgroundWork,
  type BackgroundWorkOptions,
  openEventStore,
  openPublisher,
  openReadStore,
} from '@lead/runtime';
import { AppSettings, Clock } from '../config/app-settings';
import { BrokerStatus } from '../health/broker-status';
import { WriteStatus } from '../health/write-status';
import { PersonalDataAccessPolicy } from '../leads/shared/personal-data-access';
import { countAppends } from '../observability/count-appends';
import { Metrics } from '../observability/metrics';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AsOfPool } from '../read-side/as-of-pool';

// Projector, relay and deadline watcher follow the log in this process unless lead-worker runs
// them (BACKGROUND_WORK=false). Shutdown order matters: stop consuming the log before closing
// the stores it reads and writes.
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BackgroundWork) private readonly background: BackgroundWork,
    @Inject(AppSettings) private readonly settings: AppSettings,
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(ReadStore) private readonly readStore: ReadStore,
    @Inject(AsOfPool) private readonly asOfPool: AsOfPool,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.config.backgroundWork) await this.background.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.asOfPool.close();
    await this.background.stop();
    await this.eventStore.close();
    await this.readStore.close();
  }
}

export type InfrastructureOptions = {
  config: AppConfig;
  clock: Clock;
  projectorRetry?: BackgroundWorkOptions['projectorRetry'];
};

const exported = [
  AppSettings,
  Clock,
  Metrics,
  BrokerStatus,
  WriteStatus,
  PersonalDataEventStore,
  EventStore,
  PersonalDataVault,
  ReadStore,
  BackgroundWork,
  AnalyticsSource,
  AsOfPool,
  PersonalDataAccessPolicy,
];

/** The ports every feature module uses (stores, vault, settings, clock), provided once. */
@Module({})
export class InfrastructureModule {
  static register({ config, clock, projectorRetry }: InfrastructureOptions): DynamicModule {
    return {
      module: InfrastructureModule,
      global: true,
      providers: [
        { provide: AppSettings, useValue: new AppSettings(config) },
        { provide: Clock, useValue: clock },
        Metrics,
        { provide: BrokerStatus, useValue: new BrokerStatus(() => clock.now()) },
        { provide: WriteStatus, useValue: new WriteStatus(() => clock.now()) },
        {
          provide: PersonalDataEventStore,
          inject: [Metrics, WriteStatus],
          useFactory: async (metrics: Metrics, writes: WriteStatus) =>
            countAppends(writes.watch(await openEventStore(config, () => clock.now())), metrics),
        },
        // one store: the crypto-shredding wrapper is the event log every use case appends to
        { provide: EventStore, useExisting: PersonalDataEventStore },
        {
          provide: PersonalDataVault,
          inject: [PersonalDataEventStore],
          useFactory: (store: PersonalDataEventStore) => store.vault,
        },
        { provide: ReadStore, useFactory: () => openReadStore(config) },
        {
          provide: BackgroundWork,
          inject: [EventStore, ReadStore, BrokerStatus],
          useFactory: (eventStore: EventStore, readStore: ReadStore, broker: BrokerStatus) =>
            new BackgroundWork({
              config,
              eventStore,
              readStore,
              publisher: broker.watch(openPublisher(config)),
              now: () => clock.now(),
              log: new Logger('BackgroundWork'),
              projectorRetry,
            }),
        },
        { provide: AsOfPool, useValue: new AsOfPool(config) },
        AnalyticsSource,
        PersonalDataAccessPolicy,
        Lifecycle,
      ],
      exports: exported,
    };
  }
}
