import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, agreementInForceAt } from '@lead/domain';
import { Clock } from '../../config/app-settings';
import { AgreementBook } from '../agreement-book';
import {
  type AgreementListSchema,
  type AgreementSchema,
  agreementView,
} from '../agreement.schemas';
import { GetAgreementsQuery } from './get-agreements.query';

// The agreement stream is a handful of events, so it is folded on read rather than projected.
@QueryHandler(GetAgreementsQuery)
export class GetAgreementsHandler implements IQueryHandler<GetAgreementsQuery> {
  constructor(
    private readonly agreement: AgreementBook,
    private readonly clock: Clock,
  ) {}

  async execute({ wanted }: GetAgreementsQuery): Promise<AgreementListSchema | AgreementSchema> {
    const state = await this.agreement.state();
    const now = this.clock.now().toISOString();
    const inForceNow = agreementInForceAt(state, now);
    switch (wanted.kind) {
      case 'all':
        return {
          items: state.versions.map((version) => agreementView(version, inForceNow)),
          inForce: inForceNow?.version ?? null,
        };
      case 'version': {
        const version = state.versions.find((candidate) => candidate.version === wanted.version);
        if (!version) {
          throw new DomainError(
            'agreement_version_not_found',
            `agreement version ${wanted.version} does not exist`,
          );
        }
        return agreementView(version, inForceNow);
      }
      case 'in-force': {
        const at = wanted.at ? new Date(wanted.at).toISOString() : now;
        const version = agreementInForceAt(state, at);
        if (!version) {
          throw new DomainError(
            'agreement_version_not_found',
            `no agreement was in force at ${at}`,
          );
        }
        return agreementView(version, inForceNow);
      }
    }
  }
}
