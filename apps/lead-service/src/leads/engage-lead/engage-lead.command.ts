import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { EngageLeadRequest } from './engage-lead.request';

export class EngageLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: EngageLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
