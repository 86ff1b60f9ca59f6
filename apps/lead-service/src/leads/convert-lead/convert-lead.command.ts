import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { ConvertLeadRequest } from './convert-lead.request';

export class ConvertLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: ConvertLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
