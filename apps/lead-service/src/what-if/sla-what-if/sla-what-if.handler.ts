import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { SlaWhatIfSchema } from '../../openapi/what-if.schemas';
import { WhatIfSource } from '../what-if-source';
import { SlaWhatIfQuery } from './sla-what-if.query';

@QueryHandler(SlaWhatIfQuery)
export class SlaWhatIfHandler implements IQueryHandler<SlaWhatIfQuery> {
  constructor(private readonly source: WhatIfSource) {}

  async execute({ request, signal }: SlaWhatIfQuery): Promise<SlaWhatIfSchema> {
    const { range, version, limit } = await this.source.resolve(request);
    return this.source.analytics.answerAt('whatIfSla', limit, { ...range, version }, signal);
  }
}
