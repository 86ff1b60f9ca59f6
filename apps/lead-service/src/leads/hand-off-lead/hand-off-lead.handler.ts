import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { HandOffLeadCommand } from './hand-off-lead.command';

@CommandHandler(HandOffLeadCommand)
export class HandOffLeadHandler implements ICommandHandler<HandOffLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: HandOffLeadCommand): Promise<LeadCommandResponse> {
    // the runner stamps the SLA policy in force on the handoff
    return this.leads.run({ type: 'HandOffLead', leadId, ...request }, context);
  }
}
