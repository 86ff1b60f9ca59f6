import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { QualifyLeadRequest } from './qualify-lead.request';

export class QualifyLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: QualifyLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
