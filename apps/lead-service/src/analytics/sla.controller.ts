import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { HandoffStatus } from '@lead/domain';
import {
  type SlaGrouping,
  handoffStatuses,
  slaGroupings,
  slaHandoffs,
  slaSummary,
} from '@lead/read-models';
import { IsIn, IsOptional } from 'class-validator';
import { AppSettings } from '../config/app-settings';
import { IsIdentifier, identifierPattern } from '../leads/shared/lead-request-fields';
import { Authorized } from '../openapi/api-access.decorator';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { SlaHandoffsSchema, SlaSummarySchema } from '../openapi/analytics.schemas';
import { AnalyticsSource } from '../read-side/analytics-source';
import { AnalyticsQueryRequest, businessTimeRange } from './analytics-query.request';

export class SlaHandoffsRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: handoffStatuses, description: 'judged at now (or at asOf)' })
  @IsOptional()
  @IsIn(handoffStatuses, { message: `status must be one of ${handoffStatuses.join(', ')}` })
  status?: HandoffStatus;

  @ApiPropertyOptional({ pattern: identifierPattern, example: 'rep-ana' })
  @IsOptional()
  @IsIdentifier()
  rep?: string;
}

export class SlaSummaryRequest extends AnalyticsQueryRequest {
  @ApiPropertyOptional({ enum: [...slaGroupings], default: 'rep' })
  @IsOptional()
  @IsIn(slaGroupings, { message: `groupBy must be one of ${slaGroupings.join(', ')}` })
  groupBy?: SlaGrouping;
}

@ApiTags('analytics')
@Controller('sla')
export class SlaController {
  constructor(
    private readonly source: AnalyticsSource,
    private readonly settings: AppSettings,
  ) {}

  @Get('handoffs')
  @Authorized('analyst', 'auditor')
  @ApiOperation({
    summary: 'SLA handoffs',
    description:
      'Each handoff with its deadline, response and status (met, breached, open); from/to filter by handoff time.',
  })
  @ApiOkResponse({ type: SlaHandoffsSchema })
  @ApiProblems(400, 503)
  async handoffs(@Query() query: SlaHandoffsRequest) {
    const range = businessTimeRange(query);
    const { store, asOf, now } = await this.source.view(query, 'leads');
    const items = await slaHandoffs(store, { ...range, now, status: query.status, rep: query.rep });
    return { asOf, now, items };
  }

  @Get('summary')
  @Authorized('analyst')
  @ApiOperation({
    summary: 'SLA summary',
    description:
      'Per rep or per month: handoffs, met, breached, open, compliance = met / (met + breached), median and p90 response and speed-to-lead minutes; plus marketing volume against the monthly target.',
  })
  @ApiOkResponse({ type: SlaSummarySchema })
  @ApiProblems(400, 503)
  async summary(@Query() query: SlaSummaryRequest) {
    const range = businessTimeRange(query);
    const { store, asOf, now } = await this.source.view(query, 'leads');
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
