import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { CorrectHandoffSlaCommand } from './correct-handoff-sla.command';

@CommandHandler(CorrectHandoffSlaCommand)
export class CorrectHandoffSlaHandler implements ICommandHandler<CorrectHandoffSlaCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({
    leadId,
    handoffEventId,
    request,
    context,
  }: CorrectHandoffSlaCommand): Promise<LeadCommandResponse> {
    return this.leads.run(
      { type: 'CorrectHandoffSla', leadId, handoffEventId, ...request },
      context,
    );
  }
}
