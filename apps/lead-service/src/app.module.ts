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
import { EventStore } from '@lead/event-store';
import { ReadStore } from '@lead/read-models';
import {
  type AppConfig,
  BackgroundWork,
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
import { HealthController } from './health/health.controller';
import { AcceptLeadController } from './leads/accept-lead/accept-lead.controller';
import { CaptureLeadController } from './leads/capture-lead/capture-lead.controller';
import { ConvertLeadController } from './leads/convert-lead/convert-lead.controller';
import { EngageLeadController } from './leads/engage-lead/engage-lead.controller';
import { GetLeadController } from './leads/get-lead/get-lead.controller';
import { HandOffLeadController } from './leads/hand-off-lead/hand-off-lead.controller';
import { LeadHistoryController } from './leads/lead-history/lead-history.controller';
import { ListLeadsController } from './leads/list-leads/list-leads.controller';
import { LoseLeadController } from './leads/lose-lead/lose-lead.controller';
import { RejectLeadController } from './leads/reject-lead/reject-lead.controller';
import { ScoreLeadController } from './leads/score-lead/score-lead.controller';
import { ExecuteLeadCommandHandler } from './leads/shared/execute-lead-command';
import { AnalyticsSource } from './read-side/analytics-source';

export type AppOptions = { config: AppConfig; clock?: Clock };

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
  static register({ config, clock = systemClock }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), DashboardModule],
      controllers: [
        CaptureLeadController,
        EngageLeadController,
        ScoreLeadController,
        HandOffLeadController,
        AcceptLeadController,
        RejectLeadController,
        ConvertLeadController,
        LoseLeadController,
        LeadHistoryController,
        GetLeadController,
        ListLeadsController,
        AttributionController,
        SlaController,
        FunnelController,
        HealthController,
      ],
      providers: [
        { provide: AppSettings, useValue: new AppSettings(config) },
        { provide: Clock, useValue: clock },
        { provide: EventStore, useFactory: () => openEventStore(config, () => clock.now()) },
        { provide: ReadStore, useFactory: () => openReadStore(config) },
        {
          provide: BackgroundWork,
          inject: [EventStore, ReadStore],
          useFactory: (eventStore: EventStore, readStore: ReadStore) =>
            new BackgroundWork({
              config,
              eventStore,
              readStore,
              publisher: openPublisher(config),
              now: () => clock.now(),
              log: new Logger('BackgroundWork'),
            }),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        ExecuteLeadCommandHandler,
        AnalyticsSource,
        Lifecycle,
      ],
    };
  }
}
