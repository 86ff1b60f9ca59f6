import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from '../health/health.controller';
import { Readiness } from '../health/readiness';
import { LogGauges } from '../observability/log-gauges';
import { LogPositions } from '../observability/log-positions';
import { MetricsController } from '../observability/metrics.controller';

@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController, MetricsController],
  providers: [LogPositions, LogGauges, Readiness],
})
export class OperationsModule {}
