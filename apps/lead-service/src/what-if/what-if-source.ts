import { Injectable } from '@nestjs/common';
import { type AgreementVersion, DomainError } from '@lead/domain';
import type { ReplayLimit } from '@lead/read-models';
import { AgreementBook } from '../agreements/agreement-book';
import { businessTimeRange } from '../analytics/analytics-query.request';
import { AnalyticsSource } from '../read-side/analytics-source';
import type { WhatIfQueryRequest } from './what-if-query.request';

/** What every what-if question starts from: the window, the version, and the as-of point. */
@Injectable()
export class WhatIfSource {
  constructor(
    private readonly agreement: AgreementBook,
    readonly analytics: AnalyticsSource,
  ) {}

  async resolve(request: WhatIfQueryRequest): Promise<{
    range: { from?: string; to?: string };
    version: AgreementVersion;
    limit: ReplayLimit;
  }> {
    const range = businessTimeRange(request);
    const { versions } = await this.agreement.state();
    const version = versions.find((candidate) => candidate.version === request.version);
    if (!version) {
      throw new DomainError(
        'agreement_version_not_found',
        `agreement version ${request.version} does not exist`,
      );
    }
    // the log head now unless asked otherwise, so a re-run of the answer's asOf is identical
    const limit =
      request.asOf === undefined
        ? await this.analytics.headLimit()
        : await this.analytics.limit(request.asOf);
    return { range, version, limit };
  }
}
