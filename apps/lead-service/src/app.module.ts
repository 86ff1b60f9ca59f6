import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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
import { AttributionController } from './analytics/attribution.controller';
import { FunnelController } from './analytics/funnel.controller';
import { SlaController } from './analytics/sla.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AppSettings, Clock, systemClock } from './config/app-settings';
import { DashboardModule } from './dashboard/dashboard.module';
import { BrokerStatus } from './health/broker-status';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { WriteStatus } from './health/write-status';
import { throttlerOptions } from './http/rate-limiting';
import { AcceptLeadController } from './leads/accept-lead/accept-lead.controller';
import { CaptureLeadController } from './leads/capture-lead/capture-lead.controller';
import { ConvertLeadController } from './leads/convert-lead/convert-lead.controller';
import { CorrectHandoffSlaController } from './leads/correct-handoff-sla/correct-handoff-sla.controller';
import { EngageLeadController } from './leads/engage-lead/engage-lead.controller';
import { EraseLeadController } from './leads/erase-lead/erase-lead.controller';
import { GetLeadController } from './leads/get-lead/get-lead.controller';
import { HandOffLeadController } from './leads/hand-off-lead/hand-off-lead.controller';
import { LeadHistoryController } from './leads/lead-history/lead-history.controller';
import { ListLeadsController } from './leads/list-leads/list-leads.controller';
import { LoseLeadController } from './leads/lose-lead/lose-lead.controller';
import { RejectLeadController } from './leads/reject-lead/reject-lead.controller';
import { ScoreLeadController } from './leads/score-lead/score-lead.controller';
import { ExecuteLeadCommandHandler } from './leads/shared/execute-lead-command';
import { PersonalDataAccessPolicy } from './leads/shared/personal-data-access';
import { countAppends } from './observability/count-appends';
import { LogGauges } from './observability/log-gauges';
import { LogPositions } from './observability/log-positions';
import { Metrics } from './observability/metrics';
import { MetricsController } from './observability/metrics.controller';
import { loggerParams } from './observability/request-logging';
import { AnalyticsSource } from './read-side/analytics-source';

export type AppOptions = {
  config: AppConfig;
  clock?: Clock;
  /** where the JSON logs go (default stdout); tests capture them here */
  logDestination?: DestinationStream;
  /** the projector's backoff after a read store failure (tests shorten it) */
  projectorRetry?: BackgroundWorkOptions['projectorRetry'];
};

const leadControllers = [
  CaptureLeadController,
  EngageLeadController,
  ScoreLeadController,
  HandOffLeadController,
  AcceptLeadController,
  RejectLeadController,
  ConvertLeadController,
  LoseLeadController,
  CorrectHandoffSlaController,
  EraseLeadController,
  LeadHistoryController,
  GetLeadController,
  ListLeadsController,
];
const analyticsControllers = [AttributionController, SlaController, FunnelController];
const operationsControllers = [HealthController, MetricsController];

// Projector, relay and deadline watcher follow the log in this process unless lead-worker runs
// them (BACKGROUND_WORK=false). Shutdown order matters: stop consuming the log before closing
// the stores it reads and writes.
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BackgroundWork) private readonly background: BackgroundWork,
    @Inject(AppSettings) private readonly settings: AppSettings,
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(ReadStore) private readonly readStore: ReadStore,
  ) {}
  async onApplicationBootstrap(): Promise<void> {
    if (this.settings.config.backgroundWork) await this.background.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.background.stop();
    await this.eventStore.close();
    await this.readStore.close();
  }
}

@Module({})
export class AppModule {
  static register({
    config,
    clock = systemClock,
    logDestination,
    projectorRetry,
  }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        LoggerModule.forRoot(loggerParams({ level: config.logLevel, destination: logDestination })),
        TerminusModule.forRoot(),
        ThrottlerModule.forRoot(throttlerOptions(config)),
        DashboardModule,
      ],
      controllers: [...leadControllers, ...analyticsControllers, ...operationsControllers],
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
        // Global guards run in this order: the rate limit comes first, so floods of anonymous
        // or wrong-token requests are limited too.
        ...(config.rateLimitPerMinute > 0
          ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }]
          : []),
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        ExecuteLeadCommandHandler,
        AnalyticsSource,
        PersonalDataAccessPolicy,
        LogPositions,
        LogGauges,
        Readiness,
        Lifecycle,
      ],
    };
  }
}
