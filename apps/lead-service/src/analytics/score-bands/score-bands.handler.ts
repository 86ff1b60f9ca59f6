import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { ScoreBandsSchema } from '../../openapi/closed-loop.schemas';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { businessTimeRange } from '../analytics-query.request';
import { ScoreBandsQuery } from './score-bands.query';

@QueryHandler(ScoreBandsQuery)
export class ScoreBandsHandler implements IQueryHandler<ScoreBandsQuery> {
  constructor(private readonly source: AnalyticsSource) {}

  execute({ request, signal }: ScoreBandsQuery): Promise<ScoreBandsSchema> {
    return this.source.answer('scoreBands', request, businessTimeRange(request), signal);
  }
}
