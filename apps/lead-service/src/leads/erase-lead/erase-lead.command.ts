import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';

export class EraseLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
