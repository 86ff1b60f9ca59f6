import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../leads/shared/command-context';
import type { AgreementSignaturesSchema } from '../agreement.schemas';
import type { WithdrawAgreementRequest } from './withdraw-agreement.request';

export class WithdrawAgreementCommand extends Command<AgreementSignaturesSchema> {
  constructor(
    readonly version: number,
    readonly request: WithdrawAgreementRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
