import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { RejectLeadRequest } from './reject-lead.request';

export class RejectLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: RejectLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
