import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AgreementTeam } from '@lead/domain';
import { ApplicationError } from '../../http/application-error';
import { AgreementBook } from '../agreement-book';
import { type AgreementSignaturesSchema, signaturesView } from '../agreement.schemas';
import { SignAgreementCommand } from './sign-agreement.command';

const teamOfManager: Record<string, AgreementTeam> = {
  marketing_manager: 'marketing',
  sales_manager: 'sales',
};

@CommandHandler(SignAgreementCommand)
export class SignAgreementHandler implements ICommandHandler<SignAgreementCommand> {
  constructor(private readonly agreement: AgreementBook) {}

  async execute({
    version,
    request,
    context,
  }: SignAgreementCommand): Promise<AgreementSignaturesSchema> {
    const team = signingTeam(context.actor.role, request.team);
    return signaturesView(
      await this.agreement.run({ type: 'SignAgreement', version, team }, context),
    );
  }
}

// A manager signs for their own team only; an admin names the team.
const signingTeam = (role: string, named: AgreementTeam | undefined): AgreementTeam => {
  const own = teamOfManager[role];
  if (own) {
    if (named !== undefined && named !== own) {
      throw new ApplicationError('forbidden', `a ${role} signs for ${own}, not for ${named}`);
    }
    return own;
  }
  if (named === undefined) {
    throw new ApplicationError('validation_failed', 'an admin signing must name the team', [
      { field: 'team', message: 'team must be marketing or sales' },
    ]);
  }
  return named;
};
