import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { DisputeRejectionCommand } from './dispute-rejection.command';

@CommandHandler(DisputeRejectionCommand)
export class DisputeRejectionHandler implements ICommandHandler<DisputeRejectionCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({
    leadId,
    handoffEventId,
    request,
    context,
  }: DisputeRejectionCommand): Promise<LeadCommandResponse> {
    return this.leads.run(
      { type: 'DisputeRejection', leadId, handoffEventId, ...request },
      context,
    );
  }
}
