import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { slaHandoffs } from '@lead/read-models';
import type { SlaHandoffsSchema } from '../../openapi/analytics.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { SlaHandoffsQuery } from './sla-handoffs.query';

@QueryHandler(SlaHandoffsQuery)
export class SlaHandoffsHandler implements IQueryHandler<SlaHandoffsQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: SlaHandoffsQuery): Promise<SlaHandoffsSchema> {
    const range = businessTimeRange(request);
    const { store, asOf, now } = await this.source.view(request, 'leads');
    const { status, rep } = request;
    const items = await slaHandoffs(store, { ...range, now, status, rep });
    return { asOf, now, items };
  }
}
