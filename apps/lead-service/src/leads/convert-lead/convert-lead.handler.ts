import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { ConvertLeadCommand } from './convert-lead.command';

@CommandHandler(ConvertLeadCommand)
export class ConvertLeadHandler implements ICommandHandler<ConvertLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: ConvertLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run({ type: 'ConvertLead', leadId, ...request }, context);
  }
}
