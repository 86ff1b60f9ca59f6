import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { canonicalCountry } from '../shared/lead-request-fields';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { UpdateLeadProfileCommand } from './update-lead-profile.command';

@CommandHandler(UpdateLeadProfileCommand)
export class UpdateLeadProfileHandler implements ICommandHandler<UpdateLeadProfileCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: UpdateLeadProfileCommand): Promise<LeadCommandResponse> {
    const { title, company, industry, country, employees, occurredAt } = request;
    return this.leads.run(
      {
        type: 'UpdateLeadProfile',
        leadId,
        occurredAt,
        title,
        company,
        industry,
        country: canonicalCountry(country),
        employees,
      },
      context,
    );
  }
}
