import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStore, SqliteEventStore } from '@lead/event-store';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { AppConfig } from './config/app-config';
import { AppSettings, Clock, systemClock } from './config/app-settings';
import { HealthController } from './health/health.controller';
import { AcceptLeadController } from './leads/accept-lead/accept-lead.controller';
import { CaptureLeadController } from './leads/capture-lead/capture-lead.controller';
import { ConvertLeadController } from './leads/convert-lead/convert-lead.controller';
import { EngageLeadController } from './leads/engage-lead/engage-lead.controller';
import { HandOffLeadController } from './leads/hand-off-lead/hand-off-lead.controller';
import { LeadHistoryController } from './leads/lead-history/lead-history.controller';
import { LoseLeadController } from './leads/lose-lead/lose-lead.controller';
import { RejectLeadController } from './leads/reject-lead/reject-lead.controller';
import { ScoreLeadController } from './leads/score-lead/score-lead.controller';
import { ExecuteLeadCommandHandler } from './leads/shared/execute-lead-command';

export type AppOptions = { config: AppConfig; clock?: Clock };

const openEventStore = ({ dataDir }: AppConfig): EventStore => {
  mkdirSync(dataDir, { recursive: true });
  return new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });
};

class StoreShutdown implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
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
        HealthController,
      ],
      providers: [
        { provide: AppSettings, useValue: new AppSettings(config) },
        { provide: Clock, useValue: clock },
        { provide: EventStore, useFactory: () => openEventStore(config) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        ExecuteLeadCommandHandler,
        StoreShutdown,
      ],
    };
  }
}
