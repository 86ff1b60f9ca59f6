import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { EventStore, SqliteEventStore } from '@lead/event-store';
import { EmbeddedReadStore, ReadStore, SlaDeadlineWatcher } from '@lead/read-models';
import { AttributionController } from './analytics/attribution.controller';
import { FunnelController } from './analytics/funnel.controller';
import { SlaController } from './analytics/sla.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { AppConfig } from './config/app-config';
import { AppSettings, Clock, systemClock } from './config/app-settings';
import { HealthController } from './health/health.controller';
import { AcceptLeadController } from './leads/accept-lead/accept-lead.controller';
import { CaptureLeadController } from './leads/capture-lead/capture-lead.controller';
import { ConvertLeadController } from './leads/convert-lead/convert-lead.controller';
import { GetLeadController } from './leads/get-lead/get-lead.controller';
import { ListLeadsController } from './leads/list-leads/list-leads.controller';
import { EngageLeadController } from './leads/engage-lead/engage-lead.controller';
import { HandOffLeadController } from './leads/hand-off-lead/hand-off-lead.controller';
import { LeadHistoryController } from './leads/lead-history/lead-history.controller';
import { LoseLeadController } from './leads/lose-lead/lose-lead.controller';
import { RejectLeadController } from './leads/reject-lead/reject-lead.controller';
import { ScoreLeadController } from './leads/score-lead/score-lead.controller';
import { ExecuteLeadCommandHandler } from './leads/shared/execute-lead-command';
import { AnalyticsSource } from './read-side/analytics-source';
import { Projector } from './read-side/projector';

export type AppOptions = { config: AppConfig; clock?: Clock };

// recordedAt (knowledge time, used by as-of queries) comes from the same clock as the commands.
const openEventStore = ({ dataDir }: AppConfig, clock: Clock): EventStore => {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), clock: () => clock.now() });
};

const openReadStore = ({ dataDir }: AppConfig): ReadStore => {
  mkdirSync(dataDir, { recursive: true });
  return new EmbeddedReadStore({ path: join(dataDir, 'read-models.sqlite') });
};

const deadlineCheckIntervalMs = 15_000;

const deadlineWatcher = (
  eventStore: EventStore,
  readStore: ReadStore,
  clock: Clock,
  settings: AppSettings,
) =>
  new SlaDeadlineWatcher({
    eventStore,
    readStore,
    now: () => clock.now(),
    graceSeconds: settings.config.slaBreachGraceSeconds,
    onError: (error) => new Logger('SlaDeadlineWatcher').error(String(error)),
  });

// Background work of the embedded deployment. Shutdown order matters: stop consuming the log
// before closing the stores it reads and writes.
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(Projector) private readonly projector: Projector,
    @Inject(SlaDeadlineWatcher) private readonly watcher: SlaDeadlineWatcher,
    @Inject(EventStore) private readonly eventStore: EventStore,
    @Inject(ReadStore) private readonly readStore: ReadStore,
  ) {}
  onApplicationBootstrap(): void {
    this.watcher.start(deadlineCheckIntervalMs);
  }
  async onApplicationShutdown(): Promise<void> {
    await this.watcher.stop();
    await this.projector.runner.stop();
    await this.eventStore.close();
    await this.readStore.close();
  }
}

@Module({})
export class AppModule {
  static register({ config, clock = systemClock }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
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
        { provide: EventStore, useFactory: () => openEventStore(config, clock) },
        { provide: ReadStore, useFactory: () => openReadStore(config) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        ExecuteLeadCommandHandler,
        Projector,
        AnalyticsSource,
        {
          provide: SlaDeadlineWatcher,
          useFactory: deadlineWatcher,
          inject: [EventStore, ReadStore, Clock, AppSettings],
        },
        Lifecycle,
      ],
    };
  }
}
