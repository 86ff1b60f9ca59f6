import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../leads/shared/command-context';
import type { AgreementSignaturesSchema } from '../agreement.schemas';
import type { SignAgreementRequest } from './sign-agreement.request';

export class SignAgreementCommand extends Command<AgreementSignaturesSchema> {
  constructor(
    readonly version: number,
    readonly request: SignAgreementRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
