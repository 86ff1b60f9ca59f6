import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { LoseLeadRequest } from './lose-lead.request';

export class LoseLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: LoseLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
