import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AgreementBook } from '../agreement-book';
import type { AgreementProposalSchema } from '../agreement.schemas';
import { ProposeAgreementCommand } from './propose-agreement.command';

@CommandHandler(ProposeAgreementCommand)
export class ProposeAgreementHandler implements ICommandHandler<ProposeAgreementCommand> {
  constructor(private readonly agreement: AgreementBook) {}

  async execute({ request, context }: ProposeAgreementCommand): Promise<AgreementProposalSchema> {
    const { effectiveFrom, terms, note } = request;
    const { version } = await this.agreement.run(
      { type: 'ProposeAgreement', effectiveFrom, terms, ...(note === undefined ? {} : { note }) },
      context,
    );
    return { version, status: 'proposed' };
  }
}
