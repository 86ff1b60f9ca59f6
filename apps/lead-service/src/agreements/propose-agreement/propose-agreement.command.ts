import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../leads/shared/command-context';
import type { AgreementProposalSchema } from '../agreement.schemas';
import type { ProposeAgreementRequest } from './propose-agreement.request';

export class ProposeAgreementCommand extends Command<AgreementProposalSchema> {
  constructor(
    readonly request: ProposeAgreementRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
