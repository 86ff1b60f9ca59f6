import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { HandOffLeadRequest } from './hand-off-lead.request';

export class HandOffLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: HandOffLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
