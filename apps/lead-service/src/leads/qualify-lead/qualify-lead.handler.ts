import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { QualifyLeadCommand } from './qualify-lead.command';

@CommandHandler(QualifyLeadCommand)
export class QualifyLeadHandler implements ICommandHandler<QualifyLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: QualifyLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run({ type: 'QualifyLead', leadId, ...request }, context);
  }
}
