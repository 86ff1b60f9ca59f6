import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { ResolveRejectionDisputeCommand } from './resolve-rejection-dispute.command';

@CommandHandler(ResolveRejectionDisputeCommand)
export class ResolveRejectionDisputeHandler implements ICommandHandler<ResolveRejectionDisputeCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({
    leadId,
    handoffEventId,
    request,
    context,
  }: ResolveRejectionDisputeCommand): Promise<LeadCommandResponse> {
    return this.leads.run(
      { type: 'ResolveRejectionDispute', leadId, handoffEventId, ...request },
      context,
    );
  }
}
