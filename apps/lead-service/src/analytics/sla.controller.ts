import { Controller, Get, Query } from '@nestjs/common';
import type { HandoffStatus } from '@lead/domain';
import {
  type SlaGrouping,
  handoffStatuses,
  slaGroupings,
  slaHandoffs,
  slaSummary,
} from '@lead/read-models';
import { IsIn, IsOptional } from 'class-validator';
import { Roles } from '../auth/api-key.guard';
import { AppSettings } from '../config/app-settings';
import { IsIdentifier } from '../leads/shared/lead-request-fields';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AnalyticsQueryRequest, businessTimeRange } from './analytics-query.request';

export class SlaHandoffsRequest extends AnalyticsQueryRequest {
  @IsOptional()
  @IsIn(handoffStatuses, { message: `status must be one of ${handoffStatuses.join(', ')}` })
  status?: HandoffStatus;

  @IsOptional()
  @IsIdentifier()
  rep?: string;
}

export class SlaSummaryRequest extends AnalyticsQueryRequest {
  @IsOptional()
  @IsIn(slaGroupings, { message: `groupBy must be one of ${slaGroupings.join(', ')}` })
  groupBy?: SlaGrouping;
}

@Controller('sla')
export class SlaController {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly settings: AppSettings,
  ) {}

  @Get('handoffs')
  @Roles('analyst', 'auditor')
  async handoffs(@Query() query: SlaHandoffsRequest) {
    const range = businessTimeRange(query);
    const { store, asOf, now } = await this.source.view(query);
    const items = await slaHandoffs(store, { ...range, now, status: query.status, rep: query.rep });
    return { asOf, now, items };
  }

  @Get('summary')
  @Roles('analyst')
  async summary(@Query() query: SlaSummaryRequest) {
    const range = businessTimeRange(query);
    const { store, asOf, now } = await this.source.view(query);
    const targetPerMonth = this.settings.config.mqlTargetPerMonth;
    const summary = await slaSummary(store, {
      ...range,
      now,
      groupBy: query.groupBy ?? 'rep',
      targetPerMonth,
    });
    return { asOf, now, ...summary };
  }
}
