import { Query } from '@nestjs/cqrs';
import type { SalesScorecardSchema } from '../../openapi/closed-loop.schemas';
import type { SalesScorecardRequest } from './sales-scorecard.request';

export class SalesScorecardQuery extends Query<SalesScorecardSchema> {
  constructor(
    readonly request: SalesScorecardRequest,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}
