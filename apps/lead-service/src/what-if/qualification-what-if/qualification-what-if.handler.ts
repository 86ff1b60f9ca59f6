import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ApplicationError } from '../../http/application-error';
import type { QualificationWhatIfSchema } from '../../openapi/what-if.schemas';
import { WhatIfSource } from '../what-if-source';
import { QualificationWhatIfQuery } from './qualification-what-if.query';

@QueryHandler(QualificationWhatIfQuery)
export class QualificationWhatIfHandler implements IQueryHandler<QualificationWhatIfQuery> {
  constructor(private readonly source: WhatIfSource) {}

  async execute({ request, signal }: QualificationWhatIfQuery): Promise<QualificationWhatIfSchema> {
    const { range, version, limit } = await this.source.resolve(request);
    const { scoring, qualification } = version.terms;
    // an external score is whatever a client sent: there is nothing to re-compute
    if (scoring.source !== 'rules') {
      throw new ApplicationError(
        'what_if_scoring_external',
        `agreement version ${version.version} scores externally; a qualification what-if needs a version that scores by rules`,
        [{ field: 'version', message: 'the version must score by rules' }],
      );
    }
    const params = {
      ...range,
      version: version.version,
      scoring,
      mqlThreshold: qualification.mqlThreshold,
    };
    return this.source.analytics.answerAt('whatIfQualification', limit, params, signal);
  }
}
