import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { LoseLeadCommand } from './lose-lead.command';

@CommandHandler(LoseLeadCommand)
export class LoseLeadHandler implements ICommandHandler<LoseLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: LoseLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run({ type: 'LoseLead', leadId, ...request }, context);
  }
}
