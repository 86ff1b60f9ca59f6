import { Query } from '@nestjs/cqrs';
import type { AgreementListSchema, AgreementSchema } from '../agreement.schemas';

export type AgreementsWanted =
  { kind: 'all' } | { kind: 'version'; version: number } | { kind: 'in-force'; at?: string };

export class GetAgreementsQuery<W extends AgreementsWanted = AgreementsWanted> extends Query<
  W extends { kind: 'all' } ? AgreementListSchema : AgreementSchema
> {
  constructor(readonly wanted: W) {
    super();
  }
}
