import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig, BackgroundWorkOptions } from '@lead/runtime';
import { AnalyticsModule } from './analytics/analytics.module';
import { WhatIfModule } from './what-if/what-if.module';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { type Clock, systemClock } from './config/app-settings';
import { DashboardModule } from './dashboard/dashboard.module';
import { throttlerOptions } from './http/rate-limiting';
import { ImportsModule } from './imports/imports.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { AgreementsModule } from './agreements/agreements.module';
import { LeadsModule } from './leads/leads.module';
import { loggerParams } from './observability/request-logging';
import { OperationsModule } from './operations/operations.module';

export type AppOptions = {
  config: AppConfig;
  clock?: Clock;
  /** where the JSON logs go (default stdout); tests capture them here */
  logDestination?: DestinationStream;
  /** the projector's backoff after a read store failure (tests shorten it) */
  projectorRetry?: BackgroundWorkOptions['projectorRetry'];
};

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
        ThrottlerModule.forRoot(throttlerOptions(config)),
        InfrastructureModule.register({ config, clock, projectorRetry }),
        AgreementsModule,
        LeadsModule,
        ImportsModule,
        AnalyticsModule,
        WhatIfModule,
        AuditModule,
        OperationsModule,
        DashboardModule,
      ],
      providers: [
        // Global guards run in this order: the rate limit comes first, so floods of anonymous
        // or wrong-token requests are limited too.
        ...(config.rateLimitPerMinute > 0
          ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }]
          : []),
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
