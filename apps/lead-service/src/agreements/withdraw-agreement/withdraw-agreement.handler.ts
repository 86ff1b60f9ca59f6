import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AgreementBook } from '../agreement-book';
import { type AgreementSignaturesSchema, signaturesView } from '../agreement.schemas';
import { WithdrawAgreementCommand } from './withdraw-agreement.command';

@CommandHandler(WithdrawAgreementCommand)
export class WithdrawAgreementHandler implements ICommandHandler<WithdrawAgreementCommand> {
  constructor(private readonly agreement: AgreementBook) {}

  async execute({
    version,
    request,
    context,
  }: WithdrawAgreementCommand): Promise<AgreementSignaturesSchema> {
    return signaturesView(
      await this.agreement.run(
        { type: 'WithdrawAgreement', version, reason: request.reason },
        context,
      ),
    );
  }
}
