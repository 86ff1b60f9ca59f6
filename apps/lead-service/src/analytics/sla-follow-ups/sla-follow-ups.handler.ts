import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { SlaFollowUpsSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SlaFollowUpsQuery } from './sla-follow-ups.query';

@QueryHandler(SlaFollowUpsQuery)
export class SlaFollowUpsHandler implements IQueryHandler<SlaFollowUpsQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: SlaFollowUpsQuery): Promise<SlaFollowUpsSchema> {
    const { status, rep } = request;
    const params = { ...businessTimeRange(request), status, rep };
    return this.source.answer('slaFollowUps', request, params, signal);
  }
}
