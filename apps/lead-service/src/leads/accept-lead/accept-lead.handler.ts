import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { effectiveActor } from '../shared/command-context';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { AcceptLeadCommand } from './accept-lead.command';

@CommandHandler(AcceptLeadCommand)
export class AcceptLeadHandler implements ICommandHandler<AcceptLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: AcceptLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run(
      { type: 'AcceptLead', leadId, ...request, acceptedBy: effectiveActor(context).id },
      context,
    );
  }
}
