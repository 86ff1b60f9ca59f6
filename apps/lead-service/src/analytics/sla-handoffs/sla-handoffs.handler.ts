import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { SlaHandoffsSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SlaHandoffsQuery } from './sla-handoffs.query';

@QueryHandler(SlaHandoffsQuery)
export class SlaHandoffsHandler implements IQueryHandler<SlaHandoffsQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: SlaHandoffsQuery): Promise<SlaHandoffsSchema> {
    const { status, rep, dispute } = request;
    const params = { ...businessTimeRange(request), status, rep, dispute };
    return this.source.answer('slaHandoffs', request, params, signal);
  }
}
