import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppSettings } from '../../config/app-settings';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { HandOffLeadCommand } from './hand-off-lead.command';

@CommandHandler(HandOffLeadCommand)
export class HandOffLeadHandler implements ICommandHandler<HandOffLeadCommand> {
  constructor(
    private readonly leads: LeadCommandRunner,
    private readonly settings: AppSettings,
  ) {}

  execute({ leadId, request, context }: HandOffLeadCommand): Promise<LeadCommandResponse> {
    // the SLA policy in force is stamped on the handoff, so later policy changes never rejudge it
    const minutes = this.settings.config.slaAcceptWithinMinutes;
    const slaPolicy = { id: `accept-within-${minutes}m`, acceptWithinMinutes: minutes };
    return this.leads.run({ type: 'HandOffLead', leadId, ...request, slaPolicy }, context);
  }
}
