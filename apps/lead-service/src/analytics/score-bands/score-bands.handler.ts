import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { scoreBandReport } from '@lead/read-models';
import type { ScoreBandsSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { ScoreBandsQuery } from './score-bands.query';

@QueryHandler(ScoreBandsQuery)
export class ScoreBandsHandler implements IQueryHandler<ScoreBandsQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  async execute({ request }: ScoreBandsQuery): Promise<ScoreBandsSchema> {
    const range = businessTimeRange(request);
    const { store, asOf } = await this.source.view(request, 'leads');
    return { asOf, ...(await scoreBandReport(store, range)) };
  }
}
