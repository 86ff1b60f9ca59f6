import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { RejectLeadCommand } from './reject-lead.command';

@CommandHandler(RejectLeadCommand)
export class RejectLeadHandler implements ICommandHandler<RejectLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: RejectLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run({ type: 'RejectLead', leadId, ...request }, context);
  }
}
