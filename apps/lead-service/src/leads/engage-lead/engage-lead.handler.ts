import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { EngageLeadCommand } from './engage-lead.command';

@CommandHandler(EngageLeadCommand)
export class EngageLeadHandler implements ICommandHandler<EngageLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: EngageLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run({ type: 'EngageLead', leadId, ...request }, context);
  }
}
