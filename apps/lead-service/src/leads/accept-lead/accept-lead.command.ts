import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { AcceptLeadRequest } from './accept-lead.request';

export class AcceptLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: AcceptLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
