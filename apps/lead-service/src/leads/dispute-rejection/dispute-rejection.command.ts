import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { DisputeRejectionRequest } from './dispute-rejection.request';

export class DisputeRejectionCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly handoffEventId: string,
    readonly request: DisputeRejectionRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
