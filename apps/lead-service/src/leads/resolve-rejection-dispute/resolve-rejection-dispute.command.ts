import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { ResolveRejectionDisputeRequest } from './resolve-rejection-dispute.request';

export class ResolveRejectionDisputeCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly handoffEventId: string,
    readonly request: ResolveRejectionDisputeRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
